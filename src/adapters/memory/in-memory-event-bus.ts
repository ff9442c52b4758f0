import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { EventPublisher, PublishFailure } from '../../application/event-publisher.port';
import { isRejected, type ProcessEvent } from '../../application/process-event';
import type { UserEvent } from '../../domain/user-event';
import type { DeliveredEvent } from '../../application/processed-event-store.port';
import type { RecordLocation } from '../../application/record-location';
import type { BackoffPolicy } from '../shared/capped-backoff';
import { processDelivered } from '../shared/delivered-event';
import { reportSettled, type EventObservers } from '../shared/settlement-report';

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
    private readonly redelivery: BackoffPolicy,
    /** Events queued beyond which a publish is refused at once, as the Kafka bus does. */
    private readonly maxPendingEvents: number,
    private readonly observers: EventObservers,
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
    const { logger } = this.observers;
    const processed = await processDelivered(
      this.processEvent,
      delivered,
      this.redelivery,
      this.observers,
      { stopping: this.stopping.signal },
    );
    // With no DLQ in this process, an event that cannot be stored is logged as abandoned.
    const abandon = (event: UserEvent, settlement: string, error?: string) =>
      logger.error({ eventId: event.eventId, settlement, error }, 'event abandoned');
    if (processed.kind !== 'succeeded') {
      for (const { event } of delivered) abandon(event, processed.kind);
      return;
    }
    delivered.forEach(({ event, location }, i) => {
      const outcome = processed.value[i]!;
      if (isRejected(outcome)) abandon(event, 'rejected', outcome.rejected);
      else reportSettled(this.observers, event, outcome, location);
    });
  }
}
