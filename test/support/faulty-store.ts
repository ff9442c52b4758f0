import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type { EventId } from '../../src/domain/event-fields';
import type {
  DeliveredEvent,
  FollowQuery,
  ProcessedEventQuery,
  ProcessedEventStore,
  Setback,
  StoreUnavailable,
} from '../../src/application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../src/adapters/system/system-clock';

/**
 * How an operation fails: `unavailable` answers StoreUnavailable, as a database that is down;
 * `throws` throws, as a bug would, with a message that names a source path.
 */
export type StoreFault = 'unavailable' | 'throws';

export type StoreFaults = Partial<Record<keyof ProcessedEventStore, StoreFault>>;

export const BUG_MESSAGE = 'bug at /work/main/src/secret-path.ts:12';
const DOWN: StoreUnavailable = { _tag: 'StoreUnavailable', detail: 'connection refused' };

/** The in-memory store, with the operations named in `faults` failing every time. */
export class FaultyStore implements ProcessedEventStore {
  private readonly store = new InMemoryProcessedEventStore(new SystemClock(), 100);

  constructor(private faults: StoreFaults) {}

  /** From now on every operation works, as a database that came back. */
  heal(): void {
    this.faults = {};
  }

  saveIfNew(delivered: readonly DeliveredEvent[]) {
    return this.unless('saveIfNew', this.store.saveIfNew(delivered));
  }

  findById(eventId: EventId) {
    return this.unless('findById', this.store.findById(eventId));
  }

  findByIds(eventIds: readonly EventId[]) {
    return this.unless('findByIds', this.store.findByIds(eventIds));
  }

  recordSetback(eventIds: readonly EventId[], setback: Setback) {
    return this.unless('recordSetback', this.store.recordSetback(eventIds, setback));
  }

  findSetback(eventId: EventId) {
    return this.unless('findSetback', this.store.findSetback(eventId));
  }

  list(query: ProcessedEventQuery) {
    return this.unless('list', this.store.list(query));
  }

  follow(query: FollowQuery) {
    return this.unless('follow', this.store.follow(query));
  }

  followingEnd() {
    return this.unless('followingEnd', this.store.followingEnd());
  }

  ping() {
    return this.unless('ping', this.store.ping());
  }

  /** `works`, unless `operation` is set to fail when the task runs. */
  private unless<A>(
    operation: keyof ProcessedEventStore,
    works: TE.TaskEither<StoreUnavailable, A>,
  ): TE.TaskEither<StoreUnavailable, A> {
    return async () => {
      switch (this.faults[operation]) {
        case 'unavailable':
          return E.left(DOWN);
        case 'throws':
          throw new Error(BUG_MESSAGE);
        case undefined:
          return works();
      }
    };
  }
}
