import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileProject } from '../bench/pipeline/bench-process';
import { startBroker } from '../bench/pipeline/broker';
import { Cleanup } from '../bench/pipeline/cleanup';
import { progress } from '../bench/pipeline/context';
import { GroupLagWatch } from '../bench/pipeline/group-lag';
import { currentCommit, describeMachine } from '../bench/pipeline/machine';
import { ROOT, RUN_DIR } from '../bench/pipeline/paths';
import { createScratchSchema } from '../bench/scratch-schema';
import { calibrate } from './calibrate';
import { finalCount } from './final-count';
import { soakSettingsFromArguments, type SoakSettings } from './settings';
import type { SoakContext } from './soak-context';
import { soakMeasured } from './soak-measured';
import type { SoakMeasured } from './soak-results';
import { runSoak } from './soak-run';
import { startSoakService } from './soak-service';
import { summarise } from './soak-summary';
import { writeSoakResults } from './write-soak-results';

/**
 * `npm run soak -- --minutes N` (default 60): the service on a three-node cluster of its own and
 * PostgreSQL under a steady mixed load at half its calibrated rate, with poison records and a
 * node restart every 10 minutes; exits 1 when an acknowledged event was lost or stored twice, or
 * the dead letters are not the poisons sent. Env: DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/test; a scratch schema in it, dropped at the end).
 * See docs/performance.md, "The soak".
 */
const BASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
/** Nodes on 20792, 20794, 20796 (controllers one above), apart from the tests' and the bench's. */
const SOAK_CLUSTER = { home: resolve(ROOT, '.cache/kafka-soak'), port: 20792, nodes: 3 };

async function main(): Promise<void> {
  const settings = soakSettingsFromArguments(process.argv.slice(2));
  const cleanup = new Cleanup('the soak');
  cleanup.onInterrupt();
  let measured: { results: SoakMeasured; logs: string[] };
  try {
    measured = await measure(settings, cleanup, new Date());
  } finally {
    progress('stopping everything the soak started');
    await cleanup.runAll();
  }
  const { results: soaked, logs } = measured;
  const results = { ...soaked, finishedAt: new Date().toISOString(), summary: summarise(soaked) };
  const { files, markdown } = await writeSoakResults(results);
  console.log(markdown);
  console.error(`wrote ${files.join(', ')}`);
  const { failures } = results.summary;
  // The service's log takes GBs in an hour: kept only for the post-mortem of a failed run.
  if (failures.length === 0) for (const log of logs) rmSync(log, { force: true });
  else console.error(`failed: ${failures.join('; ')}; logs kept: ${logs.join(', ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

async function measure(settings: SoakSettings, cleanup: Cleanup, started: Date) {
  const stamp = started.toISOString().slice(0, 19).replace(/[-:]/g, '');
  // The commit that is compiled and soaked: a commit made during the hour is not it.
  const commit = currentCommit();
  // PostgreSQL first: it fails at once when it is down, where the cluster takes seconds to start.
  const schema = await createScratchSchema(BASE_URL, 'soak');
  cleanup.add(`drop schema ${schema.name}`, schema.drop);
  progress('compiling the project');
  await compileProject();
  progress('starting the three-node cluster');
  const broker = await startBroker(cleanup, SOAK_CLUSTER);
  const topic = `soak-${stamp}`;
  const groupId = `${topic}-processor`;
  const probeFile = resolve(RUN_DIR, `soak-memory-${stamp}.jsonl`);
  const where = { topic, groupId, databaseUrl: schema.url };
  const service = await startSoakService(cleanup, broker, where, probeFile);
  const lag = new GroupLagWatch(broker.brokers, groupId, topic);
  cleanup.add('close the lag reader', () => lag.close());
  const context: SoakContext = {
    ...{ settings, cleanup, broker, service, topic, lag, probeFile },
    databaseUrl: schema.url,
  };
  const calibration = settings.rate === undefined ? await calibrate(context) : undefined;
  const rate = settings.rate ?? Math.max(1, Math.round((calibration?.acceptedPerSecond ?? 2) / 2));
  const run = await runSoak(context, rate);
  const end = await finalCount(context, run);
  const machine = await describeMachine(broker.version, schema.url, calibration?.generator ?? '');
  const phases = { started, commit, machine, settings, topic, calibration, rate };
  return { results: soakMeasured({ ...phases, run, end }), logs: [service.logPath, probeFile] };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
