import { expect } from 'chai';
import type { RunningService } from '../support/running-service';
import { EventLoad, type SentEvent } from '../support/event-load';
import { eventually } from '../support/eventually';
import { processedIds } from '../support/processed-events';
import { processedTwice, timesProcessed, type EventOutcome } from '../support/event-outcomes';

export interface Fault {
  readonly inject: () => Promise<void>;
  readonly heal: () => Promise<void>;
  /**
   * Whether the fault must show as a 503 before it is healed (the default). A fault the service
   * may ride out without one, e.g. a rolling restart of a cluster, is healed once injected.
   */
  readonly shows503?: boolean;
}

export interface FaultReport {
  readonly sent: number;
  readonly created: number;
  readonly clientErrors: number;
  readonly unavailable: number;
  readonly processed: number;
  readonly duplicates: number;
}

/**
 * Sends 600 events (every 10th invalid) while `fault` strikes the broker after 150 answers and
 * heals after the first 503 (or at once when it need not show one); then checks the promises: every request answered, only 503 among
 * the 5xx, every 201 processed exactly once, no event processed twice, no 4xx processed.
 * `outcomes` are the service's "event processed" and "event duplicate" lines.
 */
export async function loadThroughFault(
  app: RunningService,
  fault: Fault,
  outcomes: () => readonly EventOutcome[],
): Promise<FaultReport> {
  const sent = await sendThrough(app, fault);
  expect(
    sent.filter((event) => event.status === 0),
    'requests without an answer',
  ).to.deep.equal([]);
  expect(
    sent.filter((event) => event.status >= 500 && event.status !== 503),
    'answers 5xx other than 503',
  ).to.deep.equal([]);
  const created = sent.filter((event) => event.status === 201).map((event) => event.eventId);
  // Served by the store and logged: the line of an event is written just after it was stored.
  const { served, times } = await eventually(
    'every acknowledged event processed',
    async () => {
      const seen = { served: await processedIds(app.url), times: timesProcessed(outcomes()) };
      return created.every((id) => seen.served.has(id) && seen.times.has(id)) ? seen : undefined;
    },
    90_000,
    500,
  );
  expect(processedTwice(times), 'events processed more than once').to.deep.equal([]);
  expect(
    created.filter((id) => times.get(id) !== 1),
    '201 events not processed exactly once',
  ).to.deep.equal([]);
  const rejected = sent.filter((event) => event.status >= 400 && event.status < 500);
  expect(
    rejected.every((event) => !event.valid),
    'only invalid events got a 4xx',
  ).to.equal(true);
  expect(
    rejected.filter((event) => served.has(event.eventId) || times.has(event.eventId)),
    '4xx events processed',
  ).to.deep.equal([]);
  expect((await fetch(`${app.url}/health/live`)).status).to.equal(200);
  return {
    sent: sent.length,
    created: created.length,
    clientErrors: rejected.length,
    unavailable: sent.filter((event) => event.status === 503).length,
    processed: times.size,
    duplicates: outcomes().filter((line) => line.outcome === 'duplicate').length,
  };
}

/** The load, with the fault struck after 150 answers and healed after the first 503. */
async function sendThrough(app: RunningService, fault: Fault): Promise<SentEvent[]> {
  const load = new EventLoad(app.url, { requests: 600, concurrency: 8, invalidEvery: 10 });
  const finished = load.run();
  await eventually(
    '150 answers before the fault',
    () => (load.sent.length >= 150 ? true : undefined),
    60_000,
  );
  await fault.inject();
  if (fault.shows503 !== false) {
    await eventually(
      'a 503 during the fault',
      () => (load.count(503) > 0 ? true : undefined),
      60_000,
    );
  }
  await fault.heal();
  return finished;
}
