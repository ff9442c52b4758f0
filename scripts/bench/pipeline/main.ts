import { ensureTopics } from '../../../src/adapters/kafka/kafka-topics';
import { migratedDatabase } from '../../../test/support/migrated-database';
import { createScratchSchema } from '../scratch-schema';
import { recordBytes } from '../../../src/adapters/kafka/user-event-record';
import { backlogEvents, produceBacklog, recordOf } from './backlog';
import { startBroker } from './broker';
import { BENCH_CLUSTER, SINGLE_BROKER } from './paths';
import { markdownReport } from './markdown-report';
import { renderChart } from './chart';
import { Cleanup } from './cleanup';
import { progress, type BenchContext } from './context';
import { DrainLegs, type BareConsumerRun, type DrainRun } from './drain-legs';
import { benchKafka, GroupLagWatch } from './group-lag';
import { HttpLegs, type HttpLegRun, type LatencyRun } from './http-legs';
import {
  startBareFrameworkProcess,
  startNoopRouteProcess,
  startServiceProcess,
} from './http-processes';
import { autocannonGenerator, chooseLoadGenerator, type LoadGenerator } from './load-generator';
import { compileProject, retire } from './bench-process';
import { currentCommit, describeMachine } from './machine';
import {
  fetchKafkaTools,
  producerPerformance,
  type ProducerPerformanceRun,
} from './producer-performance';
import { cpuSeconds, peakRssMb } from './process-usage';
import { summarise, type BenchResults } from './results';
import { settingsFromArguments, type BenchSettings } from './settings';
import { median, rounded } from './stats';
import type { BareInsertRun } from './bare-insert';
import { ScalingLegs, type ScalingRun } from './scaling-legs';
import { writeResults } from './write-results';
import { inTurn } from './in-turn';
import { rolePhase } from './role-legs';
import { kafkajsTopicAdmin } from '../../../src/adapters/kafkajs/kafkajs-topic-admin';

/**
 * `npm run bench`: the whole pipeline on this machine, each leg beside its ceiling measured in
 * the same run on the same broker. `npm run bench -- --quick` for development (under 2 minutes).
 * Env: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test; a scratch schema is
 * created in it and dropped at the end). See docs/performance.md.
 */
const BASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

type Measured = Omit<BenchResults, 'summary' | 'finishedAt' | 'durationSeconds'>;
type Processes = Array<BenchResults['processes'][number]>;

async function main(): Promise<void> {
  const settings = settingsFromArguments(process.argv.slice(2));
  const cleanup = new Cleanup();
  cleanup.onInterrupt();
  const started = new Date();
  let measured: Measured;
  try {
    measured = await measure(settings, cleanup, started);
  } finally {
    progress('stopping everything the bench started');
    await cleanup.runAll();
  }
  const finished = new Date();
  const withTimes = {
    ...measured,
    finishedAt: finished.toISOString(),
    durationSeconds: rounded((finished.getTime() - started.getTime()) / 1000, 1),
  };
  const results: BenchResults = { ...withTimes, summary: summarise(withTimes) };
  const svg = await renderChart(results);
  const files = await writeResults(results, (chart) => markdownReport(results, chart), svg);
  console.log(markdownReport(results, 'latest.svg'));
  console.error(`wrote ${files.join(', ')}`);
}

async function measure(
  settings: BenchSettings,
  cleanup: Cleanup,
  started: Date,
): Promise<Measured> {
  const runId = `bench-${started.toISOString().slice(0, 19).replace(/[-:]/g, '')}`;
  // PostgreSQL first: it fails at once when it is down, where the broker takes seconds to start.
  const schema = await createScratchSchema(BASE_URL, 'bench_pipeline').catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL at ${BASE_URL} did not answer (${reason}): start it, or set DATABASE_URL`,
    );
  });
  cleanup.add(`drop schema ${schema.name}`, schema.drop);
  progress('compiling the project');
  await compileProject();
  // The service's own migrations, so the bare insert writes into the service's table.
  await (await migratedDatabase(schema.url)).close();

  progress(`${settings.mode} run ${runId}: starting the broker`);
  const broker = await startBroker(cleanup, SINGLE_BROKER);
  const jars = await fetchKafkaTools(broker.version);
  const context: BenchContext = {
    settings,
    cleanup,
    brokers: broker.brokers,
    runId,
    databaseUrl: schema.url,
  };

  progress(`producing the backlog: ${settings.backlogRecords} records`);
  const events = backlogEvents(settings.backlogRecords, settings.users);
  const backlogTopic = `${runId}-backlog`;
  const producedInSeconds = await produceBacklog(
    broker.brokers,
    backlogTopic,
    settings.partitions,
    events,
  );
  const firstEvent = events[0];
  if (firstEvent === undefined) throw new Error('an empty backlog');
  const bytes = recordBytes(recordOf(firstEvent));

  const processes: Processes = [];
  const load = chooseLoadGenerator(cleanup);
  const http = await httpPhase(context, load, processes);
  const producer = await producerPhase(context, jars, bytes);
  const drain = await drainPhase(context, { topic: backlogTopic, events }, processes);
  const roles = await rolePhase(context, load, processes);
  processes.push(...jvmUsage('kafka broker (JVM)', broker.pids));
  // The cluster gets the machine to itself: the single broker would take its CPU and memory.
  await broker.stop();
  const scaling = await scalingPhase(context, processes);
  return {
    mode: settings.mode,
    startedAt: started.toISOString(),
    commit: currentCommit(),
    machine: await describeMachine(broker.version, schema.url, load.name),
    settings,
    recordBytes: bytes,
    backlog: {
      topic: backlogTopic,
      records: events.length,
      producedInSeconds: rounded(producedInSeconds, 2),
    },
    ...http,
    producerPerformance: producer,
    drain,
    roles,
    scaling,
    processes,
  };
}

/** Each JVM's peak resident set and CPU so far. */
const jvmUsage = (name: string, pids: readonly number[]): Processes =>
  pids.map((pid, index) => ({
    name: pids.length === 1 ? name : `${name}, node ${index + 1}`,
    peakRssMb: rounded(peakRssMb(pid), 1),
    cpuSeconds: rounded(cpuSeconds(pid), 1),
  }));

/**
 * The service and its two ceilings side by side, the no-op route and the bare framework: single
 * POSTs; then the service alone: batches, end-to-end latency.
 */
async function httpPhase(context: BenchContext, load: LoadGenerator, processes: Processes) {
  const { settings, brokers, runId, cleanup } = context;
  const topic = `${runId}-http`;
  const groupId = `${runId}-http-processor`;
  progress('starting the service (STORE=memory), the no-op route and the bare framework');
  const [service, noop, bare] = await Promise.all([
    startServiceProcess(
      'service-http',
      {
        KAFKA_BROKER: brokers.join(','),
        KAFKA_TOPIC: topic,
        KAFKA_GROUP_ID: groupId,
        STORE: 'memory',
      },
      cleanup,
    ),
    startNoopRouteProcess(cleanup),
    startBareFrameworkProcess(cleanup),
  ]);
  const lag = new GroupLagWatch(brokers, groupId, topic);
  const forgetLag = cleanup.add('close the lag reader', () => lag.close());
  const sut = { process: service, lag };
  // wrk cannot hold a rate: the latency leg keeps autocannon (docs/performance.md says why).
  const rateLimited = load.holdsRate ? load : autocannonGenerator('holds the rate');
  const legs = new HttpLegs(context, { load, rateLimited });
  await legs.warmUp(service, settings.serviceWarmUpSeconds);
  await lag.untilZero(120_000);
  await legs.warmUp(noop, settings.noopWarmUpSeconds);
  await legs.warmUp(bare, settings.noopWarmUpSeconds);

  const single = settings.concurrencies.map((connections) => ({
    connections,
    service: [] as HttpLegRun[],
    noop: [] as HttpLegRun[],
    bare: [] as HttpLegRun[],
  }));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const point of single) {
      const legsOfPoint = [
        () => legs.singleOnService(sut, point.connections).then((run) => point.service.push(run)),
        () => legs.singleOnCeiling(noop, point.connections).then((run) => point.noop.push(run)),
        () => legs.singleOnCeiling(bare, point.connections).then((run) => point.bare.push(run)),
      ];
      for (const leg of inTurn(legsOfPoint, repetition)) await leg();
    }
  }
  const batch = settings.batchSizes.map((size) => ({ size, service: [] as HttpLegRun[] }));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const point of batch) point.service.push(await legs.batchOnService(sut, point.size));
  }
  const highest = Math.max(
    ...single.map((point) => median(point.service.map((run) => run.acceptedPerSecond))),
  );
  const latency: LatencyRun[] = [];
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    latency.push(await legs.latencyAt(sut, Math.max(1, Math.round(highest / 2))));
  }
  await retire([service, noop, bare], processes);
  await lag.close();
  forgetLag();
  return {
    single,
    batch,
    latency,
    loadGenerators: { load: load.name, rateLimited: rateLimited.name },
  };
}

/** Kafka's own producer on the same broker: the ceiling of the batch legs. */
async function producerPhase(
  context: BenchContext,
  jars: string,
  recordBytes: number,
): Promise<ProducerPerformanceRun[]> {
  const { settings, brokers, runId, cleanup } = context;
  const topic = `${runId}-producer-performance`;
  await ensureTopics(() => kafkajsTopicAdmin(benchKafka(brokers)), [topic], settings.partitions);
  const runs: ProducerPerformanceRun[] = [];
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    progress(
      `ProducerPerformance: ${settings.producerPerformanceRecords} records of ${recordBytes} B`,
    );
    runs.push(
      await producerPerformance({
        jars,
        brokers,
        topic,
        records: settings.producerPerformanceRecords,
        recordBytes,
        cleanup,
      }),
    );
  }
  return runs;
}

/** The backlog drained by fresh service processes, by a bare consumer, and inserted bare. */
async function drainPhase(
  context: BenchContext,
  backlog: ConstructorParameters<typeof DrainLegs>[1],
  processes: Processes,
) {
  const legs = new DrainLegs(context, backlog);
  const drain = {
    memory: [] as DrainRun[],
    postgres: [] as DrainRun[],
    bareConsumer: [] as BareConsumerRun[],
    bareInsert: [] as BareInsertRun[],
  };
  for (let repetition = 1; repetition <= context.settings.repetitions; repetition += 1) {
    for (const store of ['memory', 'postgres'] as const) {
      const run = await legs.service(store, repetition);
      drain[store].push(run);
      processes.push({
        name: `service-drain-${store}-${repetition}`,
        peakRssMb: run.usage.peakRssMb,
        cpuSeconds: run.usage.cpuSeconds,
      });
    }
    drain.bareConsumer.push(await legs.bareConsumer(repetition));
    drain.bareInsert.push(await legs.bareInsert());
  }
  return drain;
}

/**
 * A three-node cluster of the bench's own (replication 3, min.insync.replicas 2): the same
 * backlog, on more partitions, drained by 1, 2, 3 … instances of the service in one group.
 */
async function scalingPhase(context: BenchContext, processes: Processes) {
  const { settings, cleanup, runId } = context;
  const { instances, backlogRecords, partitions } = settings.scaling;
  progress(`starting the ${BENCH_CLUSTER.nodes}-node cluster`);
  const cluster = await startBroker(cleanup, BENCH_CLUSTER);
  const topic = `${runId}-scaling`;
  const events = backlogEvents(backlogRecords, settings.users);
  progress(`producing the cluster's backlog: ${backlogRecords} records, ${partitions} partitions`);
  const producedInSeconds = await produceBacklog(cluster.brokers, topic, partitions, events);
  const legs = new ScalingLegs({ ...context, brokers: cluster.brokers }, { topic, events });
  const runs = instances.map((count) => ({ instances: count, runs: [] as ScalingRun[] }));
  for (let repetition = 1; repetition <= settings.repetitions; repetition += 1) {
    // Every other repetition backwards, so a drift of the machine weighs on every count alike.
    const order = repetition % 2 === 1 ? runs : [...runs].reverse();
    for (const point of order) point.runs.push(await legs.drain(point.instances, repetition));
  }
  processes.push(...jvmUsage('kafka cluster (JVM)', cluster.pids));
  await cluster.stop();
  return {
    nodes: BENCH_CLUSTER.nodes,
    topic,
    records: backlogRecords,
    partitions,
    producedInSeconds: rounded(producedInSeconds, 2),
    points: runs,
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
