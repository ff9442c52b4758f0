import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import type { UserEvent } from '../domain/user-event';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/** `processed` the first time an event id is seen, `duplicate` for every copy after it. */
export type ProcessOutcome = 'processed' | 'duplicate';

/**
 * Processes a delivered event exactly once per `eventId`, however often it is delivered and by
 * however many consumers at once. A Left is transient: deliver the same event again later.
 */
@injectable()
export class ProcessEvent {
  constructor(@inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore) {}

  execute(event: UserEvent): TE.TaskEither<StoreUnavailable, ProcessOutcome> {
    return TE.map((saved) => (saved === 'stored' ? 'processed' : 'duplicate'))(
      this.store.saveIfNew(event),
    );
  }
}
