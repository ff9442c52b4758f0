import type { Logger } from 'pino';
import type { ProcessEvent, ProcessOutcome } from '../../application/process-event';
import type {
  DeliveredEvent,
  StoreUnavailable,
} from '../../application/processed-event-store.port';
import { retryWithBackoff, type BackoffPolicy, type Retried } from './capped-backoff';

export interface Delivery {
  /** Where the events came from, for the log lines (partition, offsets). */
  readonly where?: Readonly<Record<string, unknown>>;
  readonly stopping: AbortSignal;
  /** Runs before each wait, e.g. a heartbeat, so a long wait keeps the consumer's partitions. */
  readonly whileWaiting?: () => Promise<void>;
}

/**
 * Processes events a bus delivered, whichever bus, in one write: a store failure is logged and
 * retried with capped backoff while the delivery waits, until they settle, the policy gives up
 * or shutdown interrupts it. One outcome per event, in order.
 */
export function processDelivered(
  processEvent: ProcessEvent,
  events: readonly DeliveredEvent[],
  policy: BackoffPolicy,
  logger: Logger,
  delivery: Delivery,
): Promise<Retried<StoreUnavailable, readonly ProcessOutcome[]>> {
  return retryWithBackoff(processEvent.execute(events), policy, {
    stopping: delivery.stopping,
    beforeRetry: async (attempt, error, waitMs) => {
      logger.warn(
        {
          ...delivery.where,
          events: events.length,
          firstEventId: events[0]?.event.eventId,
          attempt,
          waitMs,
          error: error.detail,
        },
        'processing failed, retrying',
      );
      await delivery.whileWaiting?.().catch(() => undefined);
    },
  });
}
