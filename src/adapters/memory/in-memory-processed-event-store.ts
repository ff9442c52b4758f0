import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import type { EventId } from '../../domain/event-fields';
import type { UserEvent } from '../../domain/user-event';
import { sameContent } from '../../domain/same-content';
import type { Clock } from '../../application/clock.port';
import { NewestEntries } from './newest-entries';
import { compactOffset, offsetText, type CompactOffset } from './compact-offset';
import type {
  DeliveredEvent,
  FollowCursor,
  FollowedEvent,
  FollowedEvents,
  FollowQuery,
  ProcessedEvent,
  ProcessedEventPage,
  ProcessedEventQuery,
  ProcessedEventStore,
  ProcessingPosition,
  SaveOutcome,
  Setback,
  StoreUnavailable,
} from '../../application/processed-event-store.port';

// One entry per stored event, up to MEMORY_STORE_MAX_EVENTS of them, so it is kept small. Measured
// over 100,000 stored events, keeping the record's location as an object with its offset as text
// and three counters on every entry cost 227 bytes an event beside the event itself; these fields
// cost 154, against 122 before the store kept locations and copies (docs/performance.md, "Memory").
interface Entry {
  readonly event: UserEvent;
  readonly position: ProcessingPosition;
  readonly bytes: number;
  /** -1 where the bus told no location. */
  readonly partition: number;
  readonly offset: CompactOffset;
  /** One Date for a whole batch: a pointer per event, where a number would be boxed per event. */
  readonly processedAt: Date;
  /** Only for an event of which more than one copy came, which is rare. */
  copies: LaterCopies | undefined;
}

interface LaterCopies {
  deliveries: number;
  conflicts: number;
  lastConflictAt: Date | undefined;
}

/**
 * An event's size, approximately its text: the characters of its fields, and of its payload's
 * keys and strings, 8 for any other value, 2 for each pair's quotes and separators. Walked rather
 * than serialised: JSON.stringify for every stored event cost 0.5 µs and garbage, this 0.03 µs.
 */
export function eventBytes(event: UserEvent): number {
  return (
    event.eventId.length +
    event.userId.length +
    event.eventType.length +
    event.timestamp.length +
    valueBytes(event.payload)
  );
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += valueBytes(item) + 1;
    return bytes;
  }
  for (const [key, item] of Object.entries(value)) bytes += key.length + 4 + valueBytes(item);
  return bytes;
}

/**
 * Keeps the newest processed events in memory, at most `maxEvents` of them and at most
 * `maxBytes` of them (by eventBytes); the oldest is evicted first, and with it the memory that
 * it was a duplicate. The newest event is kept whatever its size. Starts empty on every restart.
 */
export class InMemoryProcessedEventStore implements ProcessedEventStore {
  // A Map iterates in insertion order, which is processing order.
  private readonly entries = new Map<EventId, Entry>();
  // Kept across evictions: a fresh iterator would step over every evicted entry's hole from the
  // start of the Map's table (until V8 compacts it), one whole scan per eviction once full. Map
  // iterators live through deletions and insertions and yield what was inserted after them.
  private readonly oldestFirst = this.entries.keys();
  // The same entries by position, for followers. Positions are consecutive and only the oldest
  // is ever evicted, so position p is at index p - firstInOrder; evicted ones are dropped from
  // the front in bulk, now and then. One pointer (8 bytes) an event beside the Map's entry.
  private readonly inOrder: Entry[] = [];
  private firstInOrder = 1;
  private evictedInOrder = 0;
  private lastPosition = 0;
  private bytes = 0;
  // Rare, and bounded like the events: past the bound the oldest setback is forgotten.
  private readonly setbacks: NewestEntries<EventId, Setback>;

  constructor(
    private readonly clock: Clock,
    private readonly maxEvents: number,
    private readonly maxBytes: number = Number.MAX_SAFE_INTEGER,
  ) {
    this.setbacks = new NewestEntries(maxEvents);
  }

  // Each method does its work when the returned task runs, as the port promises, never before.

  saveIfNew(
    delivered: readonly DeliveredEvent[],
  ): TE.TaskEither<StoreUnavailable, readonly SaveOutcome[]> {
    // Checks and inserts happen in one synchronous step, so concurrent callers cannot both win.
    return TE.fromIO(() => {
      const processedAt = this.clock.now();
      return delivered.map((one) => this.insertIfNew(one, processedAt));
    });
  }

  findById(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<ProcessedEvent>> {
    return TE.fromIO(() => O.map(processedEventOf)(O.fromNullable(this.entries.get(eventId))));
  }

  findByIds(
    eventIds: readonly EventId[],
  ): TE.TaskEither<StoreUnavailable, ReadonlyMap<EventId, UserEvent>> {
    return TE.fromIO(
      () =>
        new Map(
          eventIds.flatMap((eventId) => {
            const entry = this.entries.get(eventId);
            return entry === undefined ? [] : [[eventId, entry.event] as const];
          }),
        ),
    );
  }

  recordSetback(
    eventIds: readonly EventId[],
    setback: Setback,
  ): TE.TaskEither<StoreUnavailable, void> {
    return TE.fromIO(() => {
      for (const eventId of eventIds) {
        const recorded = this.setbacks.get(eventId);
        if (recorded === undefined || recorded.at <= setback.at)
          this.setbacks.set(eventId, setback);
      }
    });
  }

  findSetback(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<Setback>> {
    return TE.fromIO(() => O.fromNullable(this.setbacks.get(eventId)));
  }

  list(query: ProcessedEventQuery): TE.TaskEither<StoreUnavailable, ProcessedEventPage> {
    return TE.fromIO(() => this.page(query));
  }

  // Events become visible in position order here: every cursor is in group "0".
  follow(query: FollowQuery): TE.TaskEither<StoreUnavailable, FollowedEvents> {
    return TE.fromIO(() => {
      const from = Math.max(
        (query.after?.position ?? 0) + 1 - this.firstInOrder,
        this.evictedInOrder,
      );
      const scanned = this.inOrder.slice(from, from + query.limit);
      const last = scanned.at(-1);
      return {
        events: scanned
          .filter((entry) => matchesFilters(entry, query))
          .map((entry): FollowedEvent => ({
            event: entry.event,
            cursor: cursorOf(entry.position),
          })),
        scannedTo: last === undefined ? undefined : cursorOf(last.position),
      };
    });
  }

  followingEnd(): TE.TaskEither<StoreUnavailable, FollowCursor> {
    return TE.fromIO(() => cursorOf(this.lastPosition));
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

  private insertIfNew({ event, location }: DeliveredEvent, processedAt: Date): SaveOutcome {
    const stored = this.entries.get(event.eventId);
    if (stored !== undefined) return this.anotherCopy(stored, event, processedAt);
    this.lastPosition += 1;
    const bytes = eventBytes(event);
    const entry: Entry = {
      event,
      position: this.lastPosition,
      bytes,
      partition: location?.partition ?? NO_PARTITION,
      offset: location === undefined ? 0 : compactOffset(location.offset),
      processedAt,
      copies: undefined,
    };
    this.entries.set(event.eventId, entry);
    this.inOrder.push(entry);
    this.bytes += bytes;
    while (
      this.entries.size > 1 &&
      (this.entries.size > this.maxEvents || this.bytes > this.maxBytes)
    ) {
      this.evictOldest();
    }
    return 'stored';
  }

  private anotherCopy(stored: Entry, copy: UserEvent, at: Date): SaveOutcome {
    const copies = (stored.copies ??= { deliveries: 1, conflicts: 0, lastConflictAt: undefined });
    copies.deliveries += 1;
    if (sameContent(stored.event, copy)) return 'duplicate';
    copies.conflicts += 1;
    copies.lastConflictAt = at;
    return 'conflict';
  }

  private evictOldest(): void {
    const oldest = this.oldestFirst.next();
    if (oldest.done === true) return;
    this.bytes -= this.entries.get(oldest.value)?.bytes ?? 0;
    this.entries.delete(oldest.value);
    this.evictedInOrder += 1;
    if (this.evictedInOrder >= COMPACT_AFTER && this.evictedInOrder * 2 >= this.inOrder.length) {
      this.inOrder.splice(0, this.evictedInOrder);
      this.firstInOrder += this.evictedInOrder;
      this.evictedInOrder = 0;
    }
  }
}

const NO_PARTITION = -1;
// Evicted entries are dropped from the followers' array in bulk: one copy per this many at least.
const COMPACT_AFTER = 1024;

const cursorOf = (position: ProcessingPosition): FollowCursor => ({ group: '0', position });

const processedEventOf = (entry: Entry): ProcessedEvent => ({
  event: entry.event,
  location:
    entry.partition === NO_PARTITION
      ? undefined
      : { partition: entry.partition, offset: offsetText(entry.offset) },
  processedAt: entry.processedAt,
  deliveries: entry.copies?.deliveries ?? 1,
  conflicts: entry.copies?.conflicts ?? 0,
  lastConflictAt: entry.copies?.lastConflictAt,
});

const matches = (entry: Entry, query: ProcessedEventQuery): boolean =>
  (query.after === undefined || entry.position > query.after) && matchesFilters(entry, query);

const matchesFilters = (
  entry: Entry,
  { userId, eventType }: Pick<FollowQuery, 'userId' | 'eventType'>,
): boolean =>
  (userId === undefined || entry.event.userId === userId) &&
  (eventType === undefined || entry.event.eventType === eventType);
