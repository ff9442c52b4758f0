import type { EventId } from '../../domain/event-fields';
import type { PublishedEvent, PublishedEvents } from '../../application/published-events.port';

/** The latest `maxEvents` events this instance published, the oldest forgotten first. */
export class RecentlyPublishedEvents implements PublishedEvents {
  // A Map iterates in insertion order: its first key is the oldest.
  private readonly events = new Map<EventId, PublishedEvent>();
  // Kept, as in InMemoryProcessedEventStore: a fresh iterator would step over every forgotten
  // entry's hole from the start of the Map's table, once per call once the bound is reached.
  private readonly oldestFirst = this.events.keys();

  constructor(private readonly maxEvents: number) {}

  remember(published: readonly PublishedEvent[]): void {
    for (const event of published) {
      // Deleted first, so that a republished event counts as the newest.
      this.events.delete(event.eventId);
      this.events.set(event.eventId, event);
    }
    while (this.events.size > this.maxEvents) {
      const oldest = this.oldestFirst.next();
      if (oldest.done === true) return;
      this.events.delete(oldest.value);
    }
  }

  find(eventId: EventId): PublishedEvent | undefined {
    return this.events.get(eventId);
  }
}
