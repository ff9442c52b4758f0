import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import { pipe } from 'fp-ts/function';
import type { EventId } from '../domain/event-fields';
import {
  latestSetback,
  statusOfProcessed,
  statusOfPublished,
  statusOfSetback,
  type EventStatus,
} from './event-status';
import { EVENT_SETBACKS, type EventSetbacks } from './event-setbacks.port';
import { PUBLISHED_EVENTS, type PublishedEvents } from './published-events.port';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEventStore,
  type Setback,
  type StoreUnavailable,
} from './processed-event-store.port';

type Found = TE.TaskEither<StoreUnavailable, O.Option<EventStatus>>;

/**
 * Where an event stands, the first that applies: processed (or conflicting) as the store has it;
 * else held back, by the latest setback this instance or the store knows of (retrying or
 * dead-lettered); else published, as this instance knows; none when nothing is known of its id.
 * While the store fails, this instance answers from what it knows itself, or not at all.
 */
@injectable()
export class GetEventStatus {
  constructor(
    @inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore,
    @inject(PUBLISHED_EVENTS) private readonly published: PublishedEvents,
    @inject(EVENT_SETBACKS) private readonly setbacks: EventSetbacks,
  ) {}

  execute(eventId: EventId): Found {
    return pipe(
      this.store.findById(eventId),
      TE.chain(
        O.match(
          () => this.notProcessed(eventId),
          (processed): Found => TE.right(O.some(statusOfProcessed(processed))),
        ),
      ),
      TE.orElse((unavailable) => {
        const known = this.knownHere(eventId, undefined);
        return O.isSome(known) ? TE.right(known) : TE.left(unavailable);
      }),
    );
  }

  private notProcessed(eventId: EventId): Found {
    return TE.map((stored: O.Option<Setback>) => this.knownHere(eventId, O.toUndefined(stored)))(
      this.store.findSetback(eventId),
    );
  }

  private knownHere(eventId: EventId, stored: Setback | undefined): O.Option<EventStatus> {
    const setback = latestSetback(this.setbacks.find(eventId), stored);
    if (setback !== undefined) return O.some(statusOfSetback(eventId, setback));
    return O.map(statusOfPublished)(O.fromNullable(this.published.find(eventId)));
  }
}
