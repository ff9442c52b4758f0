import type { EventId } from '../../domain/event-fields';
import type { PublishedEvent, PublishedEvents } from '../../application/published-events.port';
import { NewestEntries } from '../shared/newest-entries';

/** The latest `maxEvents` events this instance published, the oldest forgotten first. */
export class RecentlyPublishedEvents implements PublishedEvents {
  private readonly events: NewestEntries<EventId, PublishedEvent>;

  constructor(maxEvents: number) {
    this.events = new NewestEntries(maxEvents);
  }

  remember(published: readonly PublishedEvent[]): void {
    for (const event of published) this.events.set(event.eventId, event);
  }

  find(eventId: EventId): PublishedEvent | undefined {
    return this.events.get(eventId);
  }
}
