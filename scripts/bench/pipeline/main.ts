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
import { writeClientsComparison, writeResults } from './write-results';
import { resultNames } from './result-names';
import { clientsComparison } from './markdown-clients';
import { inTurn } from './in-turn';
import { rolePhase, type RolePoint } from './role-legs';
import { tracingPhase, type TracingPoint } from './tracing-legs';
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
  let measured: Measured[];
  try {
    measured = await measure(settings, cleanup, started);
  } finally {
    progress('stopping everything the bench started');
    await cleanup.runAll();
  }
  const finished = new Date();
  const all: BenchResults[] = [];
  for (const one of measured) {
    const withTimes = {
      ...one,
      finishedAt: finished.toISOString(),
      durationSeconds: rounded((finished.getTime() - started.getTime()) / 1000, 1),
    };
    const results: BenchResults = { ...withTimes, summary: summarise(withTimes) };
    const svg = await renderChart(results);
    const names = resultNames(results);
    const files = await writeResults(results, (chart) => markdownReport(results, chart), svg);
    console.log(markdownReport(results, `${names.latest}.svg`));
    console.error(`wrote ${files.join(', ')}`);
    all.push(results);
  }
  if (all.length > 1) {
    const files = await writeClientsComparison(all);
    console.log(clientsComparison(all));
    console.error(`wrote ${files.join(', ')}`);
  }
}

/** Every leg; the service's once per client, beside ceilings measured once: one result each. */
async function measure(
  settings: BenchSettings,
  cleanup: Cleanup,
  started: Date,
): Promise<Measured[]> {
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
    client: settings.clients[0] ?? 'kafkajs',
    runId,
    databaseUrl: schema.url,
  };
  // Each client's service processes on topics and groups of their own.
  const onClients = settings.clients.map((client): BenchContext => ({
    ...context,
    client,
    runId: `${runId}-${client}`,
  }));

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
  const http = await httpPhase(context, onClients, load, processes);
  const producer = await producerPhase(context, jars, bytes);
  const drain = await drainPhase(context, onClients, { topic: backlogTopic, events }, processes);
  const roles: RolePoint[][] = [];
  for (const onClient of onClients) roles.push(await rolePhase(onClient, load, processes));
  const tracing: TracingPoint[][] = [];
  for (const onClient of onClients) tracing.push(await tracingPhase(onClient, load, processes));
  processes.push(...jvmUsage('kafka broker (JVM)', broker.pids));
  // The cluster gets the machine to itself: the single broker would take its CPU and memory.
  await broker.stop();
  const scaling = await scalingPhase(context, onClients, processes);
  const machine = await describeMachine(broker.version, schema.url, load.name);
  return settings.clients.map((client, index) => ({
    mode: settings.mode,
    client,
    startedAt: started.toISOString(),
    commit: currentCommit(),
    machine,
    settings,
    recordBytes: bytes,
    backlog: {
      topic: backlogTopic,
      records: events.length,
      producedInSeconds: rounded(producedInSeconds, 2),
    },
    loadGenerators: http.loadGenerators,
    ...http.onClients[index]!,
    producerPerformance: producer,
    drain: { ...drain.onClients[index]!, ...drain.ceilings },
    roles: roles[index]!,
    tracing: tracing[index]!,
    scaling: { ...scaling.common, points: scaling.onClients[index]! },
    processes,
  }));
}

/** Each JVM's peak resident set and CPU so far. */
const jvmUsage = (name: string, pids: readonly number[]): Processes =>
  pids.map((pid, index) => ({
    name: pids.length === 1 ? name : `${name}, node ${index + 1}`,
    peakRssMb: rounded(peakRssMb(pid), 1),
    cpuSeconds: rounded(cpuSeconds(pid), 1),
  }));

/**
 * The service on each client and its two ceilings side by side, the no-op route and the bare
 * framework: single POSTs, taking turns; then the service alone: batches, end-to-end latency.
 */
async function httpPhase(
  context: BenchContext,
  onClients: readonly BenchContext[],
  load: LoadGenerator,
  processes: Processes,
) {
  const { settings, cleanup } = context;
  progress(
    `starting the service (STORE=memory) on ${settings.clients.join(', ')}, the no-op route and the bare framework`,
  );
  const [noop, bare, ...services] = await Promise.all([
    startNoopRouteProcess(cleanup),
    startBareFrameworkProcess(cleanup),
    ...onClients.map(({ brokers, runId, client }) =>
      startServiceProcess(
        'service-http',
        {
          KAFKA_CLIENT: client,
          KAFKA_BROKER: brokers.join(','),
          KAFKA_TOPIC: `${runId}-http`,
          KAFKA_GROUP_ID: `${runId}-http-processor`,
          STORE: 'memory',
        },
        cleanup,
      ),
    ),
  ]);
  const suts = onClients.map(({ brokers, runId }, index) => {
    const lag = new GroupLagWatch(brokers, `${runId}-http-processor`, `${runId}-http`);
    const forget = cleanup.add('close the lag reader', () => lag.close());
    return { process: services[index]!, lag, forget };
  });
  // wrk cannot hold a rate: the latency leg keeps autocannon (docs/performance.md says why).
  const rateLimited = load.holdsRate ? load : autocannonGenerator('holds the rate');
  const legs = new HttpLegs(context, { load, rateLimited });
  for (const sut of suts) {
    await legs.warmUp(sut.process, settings.serviceWarmUpSeconds);
    await sut.lag.untilZero(120_000);
  }
  await legs.warmUp(noop!, settings.noopWarmUpSeconds);
  await legs.warmUp(bare!, settings.noopWarmUpSeconds);

  const single = settings.concurrencies.map((connections) => ({
    connections,
    services: suts.map(() => [] as HttpLegRun[]),
    noop: [] as HttpLegRun[],
    bare: [] as HttpLegRun[],
  }));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const point of single) {
      const legsOfPoint = [
        ...suts.map(
          (sut, index) => () =>
            legs
              .singleOnService(sut, point.connections)
              .then((run) => point.services[index]!.push(run)),
        ),
        () => legs.singleOnCeiling(noop!, point.connections).then((run) => point.noop.push(run)),
        () => legs.singleOnCeiling(bare!, point.connections).then((run) => point.bare.push(run)),
      ];
      for (const leg of inTurn(legsOfPoint, repetition)) await leg();
    }
  }
  const batch = settings.batchSizes.map((size) => ({
    size,
    services: suts.map(() => [] as HttpLegRun[]),
  }));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const point of batch) {
      const turns = suts.map(
        (sut, index) => () =>
          legs.batchOnService(sut, point.size).then((run) => point.services[index]!.push(run)),
      );
      for (const turn of inTurn(turns, repetition)) await turn();
    }
  }
  const latencies = suts.map(() => [] as LatencyRun[]);
  for (const [index, sut] of suts.entries()) {
    const highest = Math.max(
      ...single.map((point) => median(point.services[index]!.map((run) => run.acceptedPerSecond))),
    );
    for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
      latencies[index]!.push(await legs.latencyAt(sut, Math.max(1, Math.round(highest / 2))));
    }
  }
  await retire([...services, noop!, bare!], processes);
  for (const sut of suts) {
    await sut.lag.close();
    sut.forget();
  }
  return {
    onClients: suts.map((_, index) => ({
      single: single.map(({ connections, services: runs, noop: noopRuns, bare: bareRuns }) => ({
        connections,
        service: runs[index]!,
        noop: noopRuns,
        bare: bareRuns,
      })),
      batch: batch.map(({ size, services: runs }) => ({ size, service: runs[index]! })),
      latency: latencies[index]!,
    })),
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

/**
 * The backlog drained by fresh service processes on each client, by a bare consumer, and
 * inserted bare.
 */
async function drainPhase(
  context: BenchContext,
  onClients: readonly BenchContext[],
  backlog: ConstructorParameters<typeof DrainLegs>[1],
  processes: Processes,
) {
  const onClient = onClients.map((clientContext) => ({
    legs: new DrainLegs(clientContext, backlog),
    runs: { memory: [] as DrainRun[], postgres: [] as DrainRun[] },
  }));
  const ceilings = new DrainLegs(context, backlog);
  const drain = { bareConsumer: [] as BareConsumerRun[], bareInsert: [] as BareInsertRun[] };
  for (let repetition = 1; repetition <= context.settings.repetitions; repetition += 1) {
    for (const [index, { legs, runs }] of onClient.entries()) {
      for (const store of ['memory', 'postgres'] as const) {
        const run = await legs.service(store, repetition);
        runs[store].push(run);
        processes.push({
          name: `service-drain-${store}-${repetition}-${onClients[index]!.client}`,
          peakRssMb: run.usage.peakRssMb,
          cpuSeconds: run.usage.cpuSeconds,
        });
      }
    }
    drain.bareConsumer.push(await ceilings.bareConsumer(repetition));
    drain.bareInsert.push(await ceilings.bareInsert());
  }
  return { onClients: onClient.map(({ runs }) => runs), ceilings: drain };
}

/**
 * A three-node cluster of the bench's own (replication 3, min.insync.replicas 2): the same
 * backlog, on more partitions, drained by 1, 2, 3 … instances of the service in one group.
 */
async function scalingPhase(
  context: BenchContext,
  onClients: readonly BenchContext[],
  processes: Processes,
) {
  const { settings, cleanup, runId } = context;
  const { instances, backlogRecords, partitions } = settings.scaling;
  progress(`starting the ${BENCH_CLUSTER.nodes}-node cluster`);
  const cluster = await startBroker(cleanup, BENCH_CLUSTER);
  const topic = `${runId}-scaling`;
  const events = backlogEvents(backlogRecords, settings.users);
  progress(`producing the cluster's backlog: ${backlogRecords} records, ${partitions} partitions`);
  const producedInSeconds = await produceBacklog(cluster.brokers, topic, partitions, events);
  const points = onClients.map((onClient) => ({
    legs: new ScalingLegs({ ...onClient, brokers: cluster.brokers }, { topic, events }),
    runs: instances.map((count) => ({ instances: count, runs: [] as ScalingRun[] })),
  }));
  for (let repetition = 1; repetition <= settings.repetitions; repetition += 1) {
    for (const { legs, runs } of points) {
      // Every other repetition backwards, so a drift of the machine weighs on every count alike.
      const order = repetition % 2 === 1 ? runs : [...runs].reverse();
      for (const point of order) point.runs.push(await legs.drain(point.instances, repetition));
    }
  }
  processes.push(...jvmUsage('kafka cluster (JVM)', cluster.pids));
  await cluster.stop();
  return {
    common: {
      nodes: BENCH_CLUSTER.nodes,
      topic,
      records: backlogRecords,
      partitions,
      producedInSeconds: rounded(producedInSeconds, 2),
    },
    onClients: points.map(({ runs }) => runs),
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
