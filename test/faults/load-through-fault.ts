import { expect } from 'chai';
import type { RunningService } from '../support/running-service';
import { EventLoad, type SentEvent } from '../support/event-load';
import { eventually } from '../support/eventually';
import { processedIds } from '../support/processed-ids';

export interface Fault {
  readonly inject: () => Promise<void>;
  readonly heal: () => Promise<void>;
}

export interface FaultReport {
  readonly sent: number;
  readonly created: number;
  readonly clientErrors: number;
  readonly unavailable: number;
  readonly other: number;
  readonly processed: number;
  readonly duplicates: number;
}

/**
 * Sends 600 events (every 10th invalid) while `fault` strikes the broker after 150 answers and
 * heals after the first 503; then checks the promises: every 201 processed, no 4xx processed.
 */
export async function loadThroughFault(
  app: RunningService,
  fault: Fault,
  duplicates: () => number,
): Promise<FaultReport> {
  const load = new EventLoad(app.url, { requests: 600, concurrency: 8, invalidEvery: 10 });
  const finished = load.run();
  await eventually(
    '150 answers before the fault',
    () => (load.sent.length >= 150 ? true : undefined),
    60_000,
  );
  await fault.inject();
  await eventually(
    'a 503 during the fault',
    () => (load.count(503) > 0 ? true : undefined),
    60_000,
  );
  await fault.heal();
  const sent: SentEvent[] = await finished;

  const created = sent.filter((event) => event.status === 201).map((event) => event.eventId);
  const processed = await eventually(
    'every acknowledged event processed',
    async () => {
      const ids = await processedIds(app.url);
      return created.every((id) => ids.has(id)) ? ids : undefined;
    },
    90_000,
    500,
  );
  const rejected = sent.filter((event) => event.status >= 400 && event.status < 500);
  expect(
    rejected.every((event) => !event.valid),
    'only invalid events got a 4xx',
  ).to.equal(true);
  expect(
    rejected.filter((event) => processed.has(event.eventId)),
    '4xx events processed',
  ).to.deep.equal([]);
  expect((await fetch(`${app.url}/health/live`)).status).to.equal(200);
  return {
    sent: sent.length,
    created: created.length,
    clientErrors: rejected.length,
    unavailable: load.count(503),
    other:
      sent.filter((event) => ![201, 503].includes(event.status) && event.status < 400).length +
      load.count(0),
    processed: processed.size,
    duplicates: duplicates(),
  };
}
