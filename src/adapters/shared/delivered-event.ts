import {
  isRejected,
  type ProcessEvent,
  type ProcessOutcome,
} from '../../application/process-event';
import type {
  DeliveredEvent,
  StoreUnavailable,
} from '../../application/processed-event-store.port';
import { retryWithBackoff, type BackoffPolicy, type Retried } from './capped-backoff';
import type { EventObservers } from './settlement-report';

export interface Delivery {
  /** Where the events came from, for the log lines (partition, offsets). */
  readonly where?: Readonly<Record<string, unknown>>;
  readonly stopping: AbortSignal;
  /** Runs before each wait, e.g. a heartbeat, so a long wait keeps the consumer's partitions. */
  readonly whileWaiting?: () => Promise<void>;
}

/**
 * Processes events a bus delivered, whichever bus, in one write: a store failure is logged,
 * reported as the events' setback (their status: retrying) and retried with capped backoff while
 * the delivery waits, until they settle, the policy gives up or shutdown interrupts it. One
 * outcome per event, in order.
 */
export async function processDelivered(
  processEvent: ProcessEvent,
  delivered: readonly DeliveredEvent[],
  policy: BackoffPolicy,
  { logger, setbacks }: EventObservers,
  delivery: Delivery,
): Promise<Retried<StoreUnavailable, readonly ProcessOutcome[]>> {
  let retried = false;
  const processed = await retryWithBackoff(processEvent.execute(delivered), policy, {
    stopping: delivery.stopping,
    beforeRetry: async (attempt, error, waitMs) => {
      logger.warn(
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
      setbacks.report(idsOf(delivered), {
        kind: 'retrying',
        attempts: attempt,
        error: error.detail,
      });
      await delivery.whileWaiting?.().catch(() => undefined);
    },
  });
  // Only after a retry is anything held back to clear: a first-time success costs nothing here.
  if (retried && processed.kind === 'succeeded') {
    setbacks.settled(idsOf(delivered.filter((_, index) => !isRejected(processed.value[index]!))));
  }
  return processed;
}

const idsOf = (delivered: readonly DeliveredEvent[]) => delivered.map(({ event }) => event.eventId);
