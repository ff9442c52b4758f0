import type { Logger } from 'pino';
import type { ProcessEvent, ProcessOutcome } from '../../application/process-event';
import type { StoreUnavailable } from '../../application/processed-event-store.port';
import type { UserEvent } from '../../domain/user-event';
import { retryWithBackoff, type BackoffPolicy, type Retried } from './capped-backoff';

export interface Delivery {
  /** Where the event came from, for the log lines (partition, offset, requestId). */
  readonly where?: Readonly<Record<string, unknown>>;
  readonly stopping: AbortSignal;
  /** Runs before each wait, e.g. a heartbeat, so a long wait keeps the consumer's partitions. */
  readonly whileWaiting?: () => Promise<void>;
}

/**
 * Processes an event a bus delivered, whichever bus: a store failure is logged and retried with
 * capped backoff while the delivery waits, until it settles, the policy gives up or shutdown
 * interrupts it.
 */
export function processDelivered(
  processEvent: ProcessEvent,
  event: UserEvent,
  policy: BackoffPolicy,
  logger: Logger,
  delivery: Delivery,
): Promise<Retried<StoreUnavailable, ProcessOutcome>> {
  return retryWithBackoff(processEvent.execute(event), policy, {
    stopping: delivery.stopping,
    beforeRetry: async (attempt, error, waitMs) => {
      logger.warn(
        { ...delivery.where, eventId: event.eventId, attempt, waitMs, error: error.detail },
        'processing failed, retrying',
      );
      await delivery.whileWaiting?.().catch(() => undefined);
    },
  });
}
