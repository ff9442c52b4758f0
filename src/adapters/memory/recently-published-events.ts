import type { EventId } from '../../domain/event-fields';
import type { PublishedEvent, PublishedEvents } from '../../application/published-events.port';
import { NewestEntries } from './newest-entries';
import { compactOffset, offsetText, type CompactOffset } from './compact-offset';

// Kept per event, up to PUBLISHED_STATUS_MAX_EVENTS of them, so kept small: the id is the key
// (`npm run bench:memory-bytes`).
interface Kept {
  readonly partition: number;
  readonly offset: CompactOffset;
  readonly publishedAt: Date;
}

/**
 * The latest `maxEvents` events this instance published and has not processed itself, the oldest
 * forgotten first.
 */
export class RecentlyPublishedEvents implements PublishedEvents {
  private readonly events: NewestEntries<EventId, Kept>;

  constructor(maxEvents: number) {
    this.events = new NewestEntries(maxEvents);
  }

  remember(published: readonly PublishedEvent[]): void {
    for (const { eventId, location, publishedAt } of published) {
      this.events.set(eventId, {
        partition: location.partition,
        offset: compactOffset(location.offset),
        publishedAt,
      });
    }
  }

  forget(eventIds: readonly EventId[]): void {
    for (const eventId of eventIds) this.events.delete(eventId);
  }

  find(eventId: EventId): PublishedEvent | undefined {
    const kept = this.events.get(eventId);
    if (kept === undefined) return undefined;
    const { partition, offset, publishedAt } = kept;
    return { eventId, location: { partition, offset: offsetText(offset) }, publishedAt };
  }
}
