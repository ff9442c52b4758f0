import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import { benchCases, type BenchCase } from './bench-cases';
import { countMatching, positionAt, sampleIds, serverVersion } from './bench-database';
import { printPlans } from './explain';
import { migratedDatabase } from '../../test/support/migrated-database';
import { fillEvents } from './fill-events';
import { formatTable, type ResultRow } from './report';
import { createScratchSchema, dropOnSignal, withClient } from './scratch-schema';
import { compare } from './timing';

/**
 * `npm run bench:page-query`: times GET /events/processed's page queries and findById through
 * the real PostgreSQL store on a scratch schema of BENCH_ROWS rows, against the naive query as
 * baseline.
 * Env: DATABASE_URL, BENCH_ROWS (1000000), BENCH_RUNS (200), BENCH_EXPLAIN=1 to print the plans,
 * BENCH_VACUUM=0 to leave the table unvacuumed (as right after a bulk load or a restore).
 */
const BASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const ROWS = positiveInteger('BENCH_ROWS', 1_000_000);
const RUNS = positiveInteger('BENCH_RUNS', 200);
const WARM_UP = 20;
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const VACUUM = process.env.BENCH_VACUUM !== '0';

async function main(): Promise<void> {
  const schema = await createScratchSchema(BASE_URL, 'bench_page_query');
  dropOnSignal(schema);
  try {
    await withClient(schema.url, (client) => bench(client, schema.url));
  } finally {
    await schema.drop();
  }
}

async function bench(client: Client, url: string): Promise<void> {
  const database = await migratedDatabase(url);
  try {
    const started = performance.now();
    await fillEvents(client, ROWS, VACUUM);
    console.error(`filled ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const cases = benchCases({
      store: new PostgresProcessedEventStore(database),
      pool: database.pool,
      deepCursor: await positionAt(client, Math.floor(ROWS * 0.9)),
      sampleIds: await sampleIds(client, RUNS, ROWS),
    });
    console.log(`${await header(client)}\n`);
    const results: ResultRow[] = [];
    for (const benchCase of cases) results.push(await measure(client, benchCase));
    console.log(formatTable(results));
    if (EXPLAIN) await printPlans(client, cases);
  } finally {
    await database.close();
  }
}

async function measure(client: Client, benchCase: BenchCase): Promise<ResultRow> {
  const [current, naive] = [await benchCase.current(), await benchCase.naive()];
  // A faster query that answers differently would be no win: both must return the same page.
  if (current !== naive) throw new Error(`${benchCase.name}: store and naive query differ`);
  console.error(`timing ${benchCase.name}…`);
  const { query } = benchCase;
  return {
    name: benchCase.name,
    matching: query === undefined ? 1 : await countMatching(client, query),
    timings: await compare(benchCase.current, benchCase.naive, RUNS, WARM_UP),
  };
}

async function header(client: Client): Promise<string> {
  return [
    `page query benchmark, ${new Date().toISOString()}`,
    await serverVersion(client),
    `${ROWS.toLocaleString('en-US')} rows, ${VACUUM ? 'vacuumed and analyzed' : 'analyzed, not vacuumed'}; limit 100; ` +
      `${RUNS} timed runs per query after ${WARM_UP} warm-up runs, store and naive interleaved`,
  ].join('\n');
}

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, not ${String(process.env[name])}`);
  }
  return value;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
