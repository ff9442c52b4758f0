import { randomUUID } from 'node:crypto';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { RecentlyPublishedEvents } from '../../src/adapters/memory/recently-published-events';
import type { DeliveredEvent } from '../../src/application/processed-event-store.port';
import type { UserEvent } from '../../src/domain/user-event';
import type { EventId } from '../../src/domain/event-fields';

/**
 * `npm run bench:memory-bytes`: the heap each bounded in-memory structure of an instance takes per
 * entry once full, beside the events themselves: the in-memory store (MEMORY_STORE_MAX_EVENTS)
 * and the recently published events (PUBLISHED_STATUS_MAX_EVENTS), and what the latter keeps after
 * much traffic that was processed. Heap after a full collection,
 * before and after filling, divided by the entries; events are parsed from JSON text and carry
 * their Kafka location, as the consumer delivers them. Env: BENCH_EVENTS (100000).
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 500;

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with node --expose-gc');

function liveHeap(): number {
  collect!();
  collect!();
  return process.memoryUsage().heapUsed;
}

// As the consumer decodes them: from the record's JSON, each event its own strings.
const events: UserEvent[] = Array.from(
  { length: EVENTS },
  (_, n) =>
    JSON.parse(
      JSON.stringify({
        eventId: randomUUID(),
        userId: `user-${n % 10_000}`,
        eventType: 'LOGIN',
        timestamp: new Date(Date.UTC(2026, 10, 29, 12, 0, 0, n)).toISOString(),
        payload: { ip: '127.0.0.1' },
      }),
    ) as UserEvent,
);
// What is measured stays reachable until the end, so that no collection takes it early.
const kept: unknown[] = [];
const locationOf = (n: number) => ({ partition: n % 3, offset: String(1_000_000 + n) });

async function storeBytes(): Promise<number> {
  const store = new InMemoryProcessedEventStore({ now: () => new Date() }, EVENTS, 2 ** 40);
  const before = liveHeap();
  for (let first = 0; first < EVENTS; first += BATCH) {
    const delivered: DeliveredEvent[] = events
      .slice(first, first + BATCH)
      .map((event, n) => ({ event, location: locationOf(first + n) }));
    await store.saveIfNew(delivered)();
  }
  kept.push(store);
  return (liveHeap() - before) / EVENTS;
}

function publishedBytes(): number {
  const published = new RecentlyPublishedEvents(EVENTS);
  const before = liveHeap();
  for (let first = 0; first < EVENTS; first += BATCH) {
    const publishedAt = new Date();
    published.remember(
      events.slice(first, first + BATCH).map((event, n) => ({
        // A copy: the instance that publishes an event is rarely the one that keeps it stored.
        eventId: Buffer.from(event.eventId).toString('latin1') as EventId,
        location: locationOf(first + n),
        publishedAt,
      })),
    );
  }
  kept.push(published);
  return (liveHeap() - before) / EVENTS;
}

// As the service runs: each batch remembered when published and forgotten once processed, a few
// batches behind. What is left must not grow with the number of events that passed through.
function publishedAfterTraffic(batches: number): number {
  const published = new RecentlyPublishedEvents(EVENTS);
  const waiting: EventId[][] = [];
  const before = liveHeap();
  for (let batch = 0; batch < batches; batch += 1) {
    const publishedAt = new Date();
    const ids = Array.from({ length: BATCH }, () => randomUUID() as EventId);
    published.remember(
      ids.map((eventId, n) => ({ eventId, location: locationOf(n), publishedAt })),
    );
    waiting.push(ids);
    if (waiting.length > 4) published.forget(waiting.shift()!);
  }
  kept.push(published);
  return (liveHeap() - before) / 1e6;
}

void (async () => {
  const beforeCopy = liveHeap();
  const copies = events.map((event) => JSON.parse(JSON.stringify(event)) as UserEvent);
  const eventsBytes = (liveHeap() - beforeCopy) / EVENTS;
  kept.push(copies);
  console.log(`${EVENTS.toLocaleString('en')} entries, heap bytes each after a full collection:`);
  console.log(`  the event itself (as parsed)            ${eventsBytes.toFixed(0)}`);
  console.log(`  in-memory store, beside the event       ${(await storeBytes()).toFixed(0)}`);
  console.log(`  recently published events, id included ${publishedBytes().toFixed(0)}`);
  const passed = 2_000;
  console.log(
    `recently published events after ${(passed * BATCH).toLocaleString('en')} remembered and ` +
      `forgotten, ${4 * BATCH} waiting: ${publishedAfterTraffic(passed).toFixed(1)} MB`,
  );
  console.log(`(${kept.length} structures measured)`);
})();
