import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { EventPublisher, PublishFailure } from '../../application/event-publisher.port';
import type { ProcessEvent } from '../../application/process-event';
import type { UserEvent } from '../../domain/user-event';
import type { DeliveredEvent } from '../../application/processed-event-store.port';
import type { RecordLocation } from '../../application/record-location';
import type { BackoffPolicy } from '../shared/retry-with-backoff';
import { processDelivered } from '../delivery/process-delivered';
import type { DeliveryReports } from '../delivery/report-settled';

// As many events as the Kafka consumer stores in one write.
const DELIVERY_BATCH = 500;

/**
 * Publisher and delivery loop in one process, for running without a broker (demos, tests).
 * Delivers in publication order, up to DELIVERY_BATCH queued events in one write to the store.
 * Like a topic of one partition, it gives each published event the next offset of partition 0.
 * What is queued lives only in memory: it is delivered before `stop` returns, and lost if the
 * process dies.
 */
export class InMemoryEventBus implements EventPublisher {
  private readonly queue: DeliveredEvent[] = [];
  private nextOffset = 0;
  private readonly stopping = new AbortController();
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly processEvent: ProcessEvent,
    private readonly storeRetries: BackoffPolicy,
    /** Events queued beyond which a publish is refused at once, as the Kafka bus does. */
    private readonly maxPendingEvents: number,
    private readonly reports: DeliveryReports,
  ) {}

  publish(events: readonly UserEvent[]): TaskEither<PublishFailure, readonly RecordLocation[]> {
    return async () => {
      if (this.loop === undefined || this.stopping.signal.aborted) {
        return E.left({ _tag: 'BrokerUnavailable', detail: 'the in-memory bus is not running' });
      }
      const queued = this.queue.length;
      if (queued > 0 && queued + events.length > this.maxPendingEvents) {
        return E.left({ _tag: 'Overloaded', maxPendingEvents: this.maxPendingEvents });
      }
      const delivered = events.map((event) => ({ event, location: this.nextLocation() }));
      this.queue.push(...delivered);
      this.wakeUp?.();
      return E.right(delivered.map(({ location }) => location));
    };
  }

  start(): void {
    this.loop ??= this.deliverUntilStopped();
  }

  /** Delivers what is queued, then stops; an event still failing then is given up. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
  }

  private async deliverUntilStopped(): Promise<void> {
    for (;;) {
      const events = this.queue.splice(0, DELIVERY_BATCH);
      if (events.length > 0) {
        await this.deliver(events);
        continue;
      }
      if (this.stopping.signal.aborted) return;
      await new Promise<void>((resolve) => (this.wakeUp = resolve));
      this.wakeUp = undefined;
    }
  }

  private nextLocation(): RecordLocation {
    const offset = String(this.nextOffset);
    this.nextOffset += 1;
    return { partition: 0, offset };
  }

  private async deliver(delivered: readonly DeliveredEvent[]): Promise<void> {
    const processed = await processDelivered(
      this.processEvent,
      delivered,
      this.storeRetries,
      this.reports,
      { stopping: this.stopping.signal },
    );
    // With no DLQ in this process, an event that cannot be stored is logged as abandoned.
    const abandon = ({ event }: DeliveredEvent, settlement: string, error?: string) =>
      this.reports.logger.error({ eventId: event.eventId, settlement, error }, 'event abandoned');
    if (processed.kind === 'processed')
      for (const { delivered: one, why } of processed.setAside) abandon(one, 'rejected', why);
    else for (const one of delivered) abandon(one, processed.kind);
  }
}
