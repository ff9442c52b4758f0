import type { DependencyContainer } from 'tsyringe';
import { CLOCK } from '../application/clock.port';
import { EVENT_SETBACKS } from '../application/event-setbacks.port';
import { PROCESSED_EVENT_STORE } from '../application/processed-event-store.port';
import { ReportedSetbacks } from '../adapters/memory/reported-setbacks';
import { registerDefault, resolvePort } from './port-registry';

// Setbacks are rare: a store outage holds back the records in hand, a few thousand at most.
const SETBACKS_KEPT_HERE = 10_000;

/**
 * Registers the setbacks, written to whichever store is registered. A store that may fail (a
 * database, or any a test registered) gets a copy of the latest ones in this process, for its
 * outages; the in-memory store of this process never fails and keeps them itself.
 */
export function registerSetbacks(container: DependencyContainer, storeMayFail: boolean): void {
  registerDefault(
    container,
    EVENT_SETBACKS,
    (c) =>
      new ReportedSetbacks(
        resolvePort(c, PROCESSED_EVENT_STORE),
        resolvePort(c, CLOCK),
        storeMayFail ? SETBACKS_KEPT_HERE : 0,
      ),
  );
}
