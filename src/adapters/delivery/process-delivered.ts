import { context, type Context } from '@opentelemetry/api';
import {
  isRejected,
  type ProcessEvent,
  type SettledOutcome,
} from '../../application/process-event';
import type {
  DeliveredEvent,
  RejectedByStore,
  StoreUnavailable,
} from '../../application/processed-event-store.port';
import { retryWithBackoff, type BackoffPolicy } from '../shared/retry-with-backoff';
import { reportSettled, type DeliveryReports } from './report-settled';

/** An event as a bus delivered it, with the request that published it where the bus knows. */
export interface BusDelivery extends DeliveredEvent {
  readonly requestId?: string | undefined;
  /** The event's own trace context (its consumer span), where it is traced: its line is in it. */
  readonly traceContext?: Context | undefined;
}

export interface Delivery {
  /** Where the events came from, for the log lines (partition, offsets). */
  readonly where?: Readonly<Record<string, unknown>>;
  readonly stopping: AbortSignal;
  /** Runs before each wait, e.g. a heartbeat, so a long wait keeps the consumer's partitions. */
  readonly whileWaiting?: () => Promise<void>;
}

/** An event of the delivery that the store refused for good: the bus sets it aside. */
export interface SetAside<D extends BusDelivery> {
  readonly delivered: D;
  readonly why: RejectedByStore['rejected'];
}

/**
 * Processed: every event settled (reported already) but those the store refused for good;
 * exhausted: the store kept failing until the policy gave up; interrupted by shutdown.
 */
export type DeliveryOutcome<D extends BusDelivery> =
  | { readonly kind: 'processed'; readonly setAside: readonly SetAside<D>[] }
  | { readonly kind: 'exhausted'; readonly lastError: StoreUnavailable }
  | { readonly kind: 'interrupted' };

/**
 * Processes events a bus delivered, whichever bus, in one write: a store failure is logged,
 * reported as the events' setback (their status: retrying) and retried with capped backoff while
 * the delivery waits, until they settle, the policy gives up or shutdown interrupts it. Each
 * settled event is reported (log line, metrics) in order; what is left is the bus's to handle.
 */
export async function processDelivered<D extends BusDelivery>(
  processEvent: ProcessEvent,
  delivered: readonly D[],
  storeRetries: BackoffPolicy,
  reports: DeliveryReports,
  delivery: Delivery,
): Promise<DeliveryOutcome<D>> {
  let retried = false;
  const processed = await retryWithBackoff(processEvent.execute(delivered), storeRetries, {
    stopping: delivery.stopping,
    beforeRetry: async (attempt, error, waitMs) => {
      reports.logger.warn(
        {
          ...delivery.where,
          events: delivered.length,
          firstEventId: delivered[0]?.event.eventId,
          attempt,
          waitMs,
          error: error.detail,
        },
        'processing failed, retrying',
      );
      retried = true;
      reports.setbacks.report(idsOf(delivered), {
        kind: 'retrying',
        attempts: attempt,
        error: error.detail,
      });
      await delivery.whileWaiting?.().catch(() => undefined);
    },
  });
  if (processed.kind !== 'succeeded') return processed;
  const outcomes = processed.value;
  const setAside: SetAside<D>[] = [];
  outcomes.forEach((outcome, index) => {
    const one = delivered[index]!;
    if (isRejected(outcome)) setAside.push({ delivered: one, why: outcome.rejected });
    else reportOne(reports, one, outcome);
  });
  // Only after a retry is anything held back to clear: a first-time success costs nothing here.
  if (retried)
    reports.setbacks.settled(idsOf(delivered.filter((_, index) => !isRejected(outcomes[index]!))));
  return { kind: 'processed', setAside };
}

/** The line and metrics of one settled event, written inside its own span where it has one. */
function reportOne(reports: DeliveryReports, one: BusDelivery, outcome: SettledOutcome): void {
  const from = {
    partition: one.location?.partition,
    offset: one.location?.offset,
    requestId: one.requestId,
  };
  // Arguments passed through, not a closure: this runs once per event on the hot path.
  if (one.traceContext === undefined) reportSettled(reports, one.event, outcome, from);
  else context.with(one.traceContext, reportSettled, undefined, reports, one.event, outcome, from);
}

const idsOf = (delivered: readonly DeliveredEvent[]) => delivered.map(({ event }) => event.eventId);
