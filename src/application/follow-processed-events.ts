import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import {
  PROCESSED_EVENT_STORE,
  type FollowCursor,
  type FollowedEvents,
  type FollowQuery,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/** Processed events as they come, for a follower that resumes exactly where it stopped. */
@injectable()
export class FollowProcessedEvents {
  constructor(@inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore) {}

  /** The next events after the query's cursor (SPEC: GET /events/stream). */
  next(query: FollowQuery): TaskEither<StoreUnavailable, FollowedEvents> {
    return this.store.follow(query);
  }

  /** Where a new follower starts: only events processed from now on. */
  end(): TaskEither<StoreUnavailable, FollowCursor> {
    return this.store.followingEnd();
  }
}
