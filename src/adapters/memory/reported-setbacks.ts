import type { EventId } from '../../domain/event-fields';
import type { Clock } from '../../application/clock.port';
import type { EventSetbacks, ReportedSetback } from '../../application/event-setbacks.port';
import type { ProcessedEventStore, Setback } from '../../application/processed-event-store.port';
import { NewestEntries } from './newest-entries';

/**
 * The buses' setback reports, written to the store without waiting for it (a store that fails is
 * the usual reason for a setback, and the delivery must not wait on it again), and the latest of
 * each event kept in this process too, the oldest forgotten past `keptHere`, for the store that
 * fails. A store in this process's own memory never fails and keeps them already: `keptHere` 0.
 */
export class ReportedSetbacks implements EventSetbacks {
  private readonly setbacks: NewestEntries<EventId, Setback> | undefined;
  private lastStamp = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: ProcessedEventStore,
    private readonly clock: Clock,
    keptHere: number,
  ) {
    this.setbacks = keptHere > 0 ? new NewestEntries(keptHere) : undefined;
  }

  report(eventIds: readonly EventId[], reported: ReportedSetback): void {
    const setback = { ...reported, at: this.stamp() } as Setback;
    if (this.setbacks !== undefined)
      for (const eventId of eventIds) this.setbacks.set(eventId, setback);
    // Left (the store failing) is the case this instance's own copy is for.
    void this.store
      .recordSetback(eventIds, setback)()
      .catch(() => undefined);
  }

  settled(eventIds: readonly EventId[]): void {
    if (this.setbacks !== undefined) for (const eventId of eventIds) this.setbacks.delete(eventId);
  }

  find(eventId: EventId): Setback | undefined {
    return this.setbacks?.get(eventId);
  }

  // The stores keep the setback with the later time, and a status shows the later of this copy
  // and the store's: a report stamped earlier than the one before it, by a clock that stepped
  // back, would lose to the report it replaces. So no stamp goes back; while the clock catches
  // up the reports carry the last time stamped.
  private stamp(): Date {
    this.lastStamp = Math.max(this.lastStamp, this.clock.now().getTime());
    return new Date(this.lastStamp);
  }
}
