import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import {
  PROCESSED_EVENT_STORE,
  type DeliveredEvent,
  type ProcessedEventStore,
  type RejectedByStore,
  type SaveOutcome,
  type StoreUnavailable,
} from './processed-event-store.port';
import { PUBLISHED_EVENTS, type PublishedEvents } from './published-events.port';

/**
 * `processed` the first time an event id is seen, `duplicate` for every copy after it with the
 * same content, `conflict` for a copy with other content (the first stays the processed one).
 */
export type SettledOutcome = 'processed' | 'duplicate' | 'conflict';

/** Settled, or refused by the store for good (to be set aside, e.g. in a DLQ). */
export type ProcessOutcome = SettledOutcome | RejectedByStore;

/** True for an outcome the store refused for good. */
export const isRejected = (outcome: ProcessOutcome): outcome is RejectedByStore =>
  typeof outcome === 'object';

/**
 * Processes delivered events exactly once per `eventId`, however often each is delivered and by
 * however many consumers at once; a batch is stored in one write. Answers one outcome per event,
 * in order. A Left is transient: deliver the same events again later.
 */
@injectable()
export class ProcessEvent {
  constructor(
    @inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore,
    @inject(PUBLISHED_EVENTS) private readonly published: PublishedEvents,
  ) {}

  execute(
    delivered: readonly DeliveredEvent[],
  ): TE.TaskEither<StoreUnavailable, readonly ProcessOutcome[]> {
    return TE.map((saved: readonly SaveOutcome[]) => {
      // The store now answers for these events (processed, or set aside with a setback): what
      // this instance remembers of publishing them is needed no more. Kept only while they wait,
      // the published events take memory in proportion to the lag, not to the traffic.
      this.published.forget(delivered.map(({ event }) => event.eventId));
      return saved.map((outcome): ProcessOutcome => (outcome === 'stored' ? 'processed' : outcome));
    })(this.store.saveIfNew(delivered));
  }
}
