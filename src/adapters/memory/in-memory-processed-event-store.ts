import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import type { EventId } from '../../domain/event-fields';
import type { UserEvent } from '../../domain/user-event';
import type {
  ProcessedEventPage,
  ProcessedEventQuery,
  ProcessedEventStore,
  ProcessingPosition,
  SaveOutcome,
  StoreUnavailable,
} from '../../application/processed-event-store.port';

interface Entry {
  readonly event: UserEvent;
  readonly position: ProcessingPosition;
}

/**
 * Keeps the newest `maxEvents` processed events in memory; the oldest is evicted first, and with
 * it the memory that it was a duplicate. Starts empty on every restart.
 */
export class InMemoryProcessedEventStore implements ProcessedEventStore {
  // A Map iterates in insertion order, which is processing order.
  private readonly entries = new Map<EventId, Entry>();
  // Kept across evictions: a fresh iterator would step over every evicted entry's hole from the
  // start of the Map's table (until V8 compacts it), one whole scan per eviction once full. Map
  // iterators live through deletions and insertions and yield what was inserted after them.
  private readonly oldestFirst = this.entries.keys();
  private lastPosition = 0;

  constructor(private readonly maxEvents: number) {}

  // Each method does its work when the returned task runs, as the port promises, never before.

  saveIfNew(events: readonly UserEvent[]): TE.TaskEither<StoreUnavailable, readonly SaveOutcome[]> {
    // Checks and inserts happen in one synchronous step, so concurrent callers cannot both win.
    return TE.fromIO(() => events.map((event) => this.insertIfNew(event)));
  }

  findById(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<UserEvent>> {
    return TE.fromIO(() =>
      O.map((entry: Entry) => entry.event)(O.fromNullable(this.entries.get(eventId))),
    );
  }

  list(query: ProcessedEventQuery): TE.TaskEither<StoreUnavailable, ProcessedEventPage> {
    return TE.fromIO(() => this.page(query));
  }

  ping(): TE.TaskEither<StoreUnavailable, void> {
    return TE.right(undefined);
  }

  private page(query: ProcessedEventQuery): ProcessedEventPage {
    const page: Entry[] = [];
    for (const entry of this.entries.values()) {
      if (!matches(entry, query)) continue;
      if (page.length === query.limit) {
        return { events: page.map((e) => e.event), next: page[page.length - 1]!.position };
      }
      page.push(entry);
    }
    return { events: page.map((e) => e.event) };
  }

  private insertIfNew(event: UserEvent): SaveOutcome {
    if (this.entries.has(event.eventId)) return 'duplicate';
    this.lastPosition += 1;
    this.entries.set(event.eventId, { event, position: this.lastPosition });
    if (this.entries.size > this.maxEvents) this.evictOldest();
    return 'stored';
  }

  private evictOldest(): void {
    const oldest = this.oldestFirst.next();
    if (oldest.done !== true) this.entries.delete(oldest.value);
  }
}

const matches = (entry: Entry, query: ProcessedEventQuery): boolean =>
  (query.after === undefined || entry.position > query.after) &&
  (query.userId === undefined || entry.event.userId === query.userId) &&
  (query.eventType === undefined || entry.event.eventType === query.eventType);
