import { expect } from 'chai';
import type { RunningService } from '../support/running-service';
import { EventLoad, type SentEvent } from '../support/event-load';
import { eventually } from '../support/eventually';
import { processedIds } from '../support/processed-events';
import { outcomesIn, processedTwice, timesProcessed } from '../support/event-outcomes';

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

/** A service under the load, and the lines it has logged so far. */
export interface LoadedService {
  /** What the checks' messages call it, e.g. its client. */
  readonly name: string;
  readonly app: RunningService;
  readonly lines: () => ReadonlyArray<Record<string, unknown>>;
}

/**
 * Sends 600 events (every 10th invalid) to each service at once while `fault` strikes after
 * each had 150 answers, and heals it once each had a 503 (or at once when it need not show one);
 * then checks the promises service by service: every request answered, only 503 among the 5xx,
 * every 201 processed exactly once, no event processed twice, no 4xx processed, no unhandled
 * rejection logged.
 */
export async function loadThroughFault(
  services: readonly LoadedService[],
  fault: Fault,
): Promise<FaultReport[]> {
  const sent = await sendThrough(
    services.map(({ app }) => app),
    fault,
  );
  const reports: FaultReport[] = [];
  for (const [index, service] of services.entries())
    reports.push(await checkedOutcomes(service, sent[index]!));
  return reports;
}

async function checkedOutcomes(
  { name, app, lines }: LoadedService,
  sent: readonly SentEvent[],
): Promise<FaultReport> {
  const outcomes = () => outcomesIn(lines());
  expect(
    sent.filter((event) => event.status === 0),
    `${name}: requests without an answer`,
  ).to.deep.equal([]);
  expect(
    sent.filter((event) => event.status >= 500 && event.status !== 503),
    `${name}: answers 5xx other than 503`,
  ).to.deep.equal([]);
  const created = sent.filter((event) => event.status === 201).map((event) => event.eventId);
  // Served by the store and logged: the line of an event is written just after it was stored.
  const { served, times } = await eventually(
    `${name}: every acknowledged event processed`,
    async () => {
      const seen = { served: await processedIds(app.url), times: timesProcessed(outcomes()) };
      return created.every((id) => seen.served.has(id) && seen.times.has(id)) ? seen : undefined;
    },
    90_000,
    500,
  );
  expect(processedTwice(times), `${name}: events processed more than once`).to.deep.equal([]);
  expect(
    created.filter((id) => times.get(id) !== 1),
    `${name}: 201 events not processed exactly once`,
  ).to.deep.equal([]);
  const rejected = sent.filter((event) => event.status >= 400 && event.status < 500);
  expect(
    rejected.every((event) => !event.valid),
    `${name}: only invalid events got a 4xx`,
  ).to.equal(true);
  expect(
    rejected.filter((event) => served.has(event.eventId) || times.has(event.eventId)),
    `${name}: 4xx events processed`,
  ).to.deep.equal([]);
  expect((await fetch(`${app.url}/health/live`)).status, `${name}: live`).to.equal(200);
  expect(
    lines().filter((line) => line.msg === 'unhandled rejection'),
    `${name}: unhandled rejections`,
  ).to.deep.equal([]);
  return {
    sent: sent.length,
    created: created.length,
    clientErrors: rejected.length,
    unavailable: sent.filter((event) => event.status === 503).length,
    processed: times.size,
    duplicates: outcomes().filter((line) => line.outcome === 'duplicate').length,
  };
}

/** The loads, with the fault struck after 150 answers each and healed after a 503 each. */
async function sendThrough(apps: readonly RunningService[], fault: Fault): Promise<SentEvent[][]> {
  const loads = apps.map(
    (app) => new EventLoad(app.url, { requests: 600, concurrency: 8, invalidEvery: 10 }),
  );
  const finished = Promise.all(loads.map((load) => load.run()));
  const each = (check: (load: EventLoad) => boolean) => () =>
    loads.every(check) ? true : undefined;
  await eventually(
    '150 answers from each service before the fault',
    each((load) => load.sent.length >= 150),
    60_000,
  );
  await fault.inject();
  if (fault.shows503 !== false) {
    await eventually(
      'a 503 from each service during the fault',
      each((load) => load.count(503) > 0),
      60_000,
    );
  }
  await fault.heal();
  return finished;
}
