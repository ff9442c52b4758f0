import { setTimeout as sleep } from 'node:timers/promises';
import { progress, type BenchContext } from './context';
import { GroupLagWatch } from './group-lag';
import { acceptedPerSecond, type LoadResult } from './http-load';
import type { HttpProcess } from './http-processes';
import type { LoadGenerator } from './load-generator';
import { perEvent, type ProcessUsage } from './process-usage';
import { batchBodies, singleBodies } from './request-bodies';
import { countersSince, eventCounters, type EventCounters } from './service-metrics';
import { logSize, processedLinesIn } from './service-log';
import { percentile } from './stats';

/** One load against one server. */
export interface HttpLegRun {
  readonly connections: number;
  readonly eventsPerRequest: number;
  /** 201 answers per second, as the load generator counted them. */
  readonly acceptedPerSecond: number;
  /** acceptedPerSecond × events per request. */
  readonly eventsPerSecond: number;
  readonly seconds: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly latencyMs: LoadResult['latencyMs'];
  /** The load generator's name (wrk, or autocannon in the bench process). */
  readonly generator: string;
  /** CPU of the load generator during the load: seconds, and % of one core. */
  readonly generatorCpuSeconds: number;
  readonly generatorCpuPercent: number;
  /** The server process's CPU and peak memory during the load. */
  readonly usage: ProcessUsage;
  /**
   * CPU time per event accepted (201 answers × events per request), µs: of the server and of the
   * load generator. The service's runs from the start of the load until its lag was 0, so that
   * the consuming of what it accepted is in it; a ceiling's over the load.
   */
  readonly cpuMicrosecondsPerEvent: {
    readonly server: number;
    readonly loadGenerator: number;
    /** Of the worker beside an api (SERVICE_ROLE split), over the same time as the server's. */
    readonly worker?: number;
  };
  /** The service's own counters (GET /metrics) from before the load until its lag was 0. */
  readonly counters?: EventCounters;
  /** From the end of the load until the group had committed every record. */
  readonly lagZeroAfterMs?: number;
}

/** The rate-limited leg that measures end-to-end latency from the service's log lines. */
export interface LatencyRun {
  readonly rate: number;
  readonly load: HttpLegRun;
  readonly events: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The service under test, with the topic and group it was started on. */
export interface ServiceUnderTest {
  /** The process that takes the HTTP load: all in one, or an api. */
  readonly process: HttpProcess;
  /** The worker that processes what an api publishes (SERVICE_ROLE=worker), if split. */
  readonly worker?: HttpProcess;
  readonly lag: GroupLagWatch;
}

const LAG_TIMEOUT_MS = 120_000;
const BATCH_BODIES = 64;

/** The load generators of the HTTP legs. */
export interface HttpLoad {
  /** Of the legs as fast as the server answers. */
  readonly load: LoadGenerator;
  /** Of the end-to-end latency leg, which must hold a rate. */
  readonly rateLimited: LoadGenerator;
}

export class HttpLegs {
  private readonly single: string[];

  constructor(
    private readonly context: BenchContext,
    private readonly generators: HttpLoad,
  ) {
    this.single = singleBodies(context.settings.users);
  }

  /** A short load that is not measured: JIT, connection set-up, the producer's first metadata. */
  async warmUp(server: HttpProcess, seconds: number): Promise<void> {
    progress(`warming up ${server.name} for ${seconds} s`);
    await this.generators.load.post({
      url: server.url,
      path: '/events/generate',
      bodies: this.single,
      connections: 64,
      seconds,
    });
  }

  /** Single POSTs at `connections` against the service; then waits for its lag to be 0. */
  singleOnService(service: ServiceUnderTest, connections: number): Promise<HttpLegRun> {
    progress(`single POST, ${connections} connections: ${service.process.name}`);
    return this.onService(service, '/events/generate', this.single, connections, 1);
  }

  /** The same load against a ceiling: the no-op route or the bare framework. */
  async singleOnCeiling(ceiling: HttpProcess, connections: number): Promise<HttpLegRun> {
    progress(`single POST, ${connections} connections: ${ceiling.name}`);
    const measure = ceiling.usage.start();
    const load = await this.generators.load.post({
      url: ceiling.url,
      path: '/events/generate',
      bodies: this.single,
      connections,
      seconds: this.context.settings.loadSeconds,
    });
    const usage = measure(accepted(load));
    return legRun(load, {
      generator: this.generators.load.name,
      connections,
      eventsPerRequest: 1,
      usage,
      serverMicrosecondsPerEvent: usage.cpuMicrosecondsPerEvent ?? NaN,
    });
  }

  /** Batches of `size` events at the bench's batch connections. */
  batchOnService(service: ServiceUnderTest, size: number): Promise<HttpLegRun> {
    const { batchConnections, users } = this.context.settings;
    progress(`batch of ${size}, ${batchConnections} connections: ${service.process.name}`);
    const bodies = batchBodies(size, BATCH_BODIES, users);
    return this.onService(service, '/events/batch', bodies, batchConnections, size);
  }

  /** Single POSTs at `rate` per second; the latencies are read from the service's log lines. */
  async latencyAt(service: ServiceUnderTest, rate: number): Promise<LatencyRun> {
    progress(`end-to-end latency at ${rate} POSTs/s: ${service.process.name}`);
    const from = logSize(service.process.logPath);
    const load = await this.onService(
      service,
      '/events/generate',
      this.single,
      this.context.settings.latencyConnections,
      1,
      rate,
    );
    // The lag is 0, so every event was processed; its line is written at the end of the service's
    // turn of the event loop, and read from a file: a margin.
    await sleep(200);
    const lines = await processedLinesIn(service.process.logPath, from);
    return {
      rate,
      load,
      events: lines.count,
      p50Ms: percentile(lines.latenciesMs, 50),
      p99Ms: percentile(lines.latenciesMs, 99),
      maxMs: percentile(lines.latenciesMs, 100),
    };
  }

  private async onService(
    { process: service, worker, lag }: ServiceUnderTest,
    path: string,
    bodies: readonly string[],
    connections: number,
    eventsPerRequest: number,
    rate?: number,
  ): Promise<HttpLegRun> {
    // An api counts what it published, its worker what it processed: both are read.
    const counted = worker === undefined ? [service] : [service, worker];
    const before = await Promise.all(counted.map((process) => eventCounters(process.url)));
    const measure = service.usage.start();
    const measureWorker = worker?.usage.start();
    const generator = rate === undefined ? this.generators.load : this.generators.rateLimited;
    const load = await generator.post({
      url: service.url,
      path,
      bodies,
      connections,
      seconds: this.context.settings.loadSeconds,
      ...(rate === undefined ? {} : { rate }),
    });
    const usage = measure();
    const lagZeroAt = await lag.untilZero(LAG_TIMEOUT_MS);
    const events = accepted(load) * eventsPerRequest;
    const untilLagZero = measure(events);
    const workerUntilLagZero = measureWorker?.(events);
    const after = await Promise.all(counted.map((process) => eventCounters(process.url)));
    return {
      ...legRun(load, {
        generator: generator.name,
        connections,
        eventsPerRequest,
        usage,
        serverMicrosecondsPerEvent: untilLagZero.cpuMicrosecondsPerEvent ?? NaN,
        ...(workerUntilLagZero === undefined
          ? {}
          : { workerMicrosecondsPerEvent: workerUntilLagZero.cpuMicrosecondsPerEvent ?? NaN }),
      }),
      counters: sumOf(after.map((scrape, index) => countersSince(before[index]!, scrape))),
      lagZeroAfterMs: Math.max(0, lagZeroAt - load.endedAt),
    };
  }
}

const sumOf = (counters: readonly EventCounters[]): EventCounters => ({
  published: counters.reduce((sum, one) => sum + one.published, 0),
  processed: counters.reduce((sum, one) => sum + one.processed, 0),
  duplicates: counters.reduce((sum, one) => sum + one.duplicates, 0),
});

/** 201 answers the load generator counted. */
const accepted = (load: LoadResult): number => load.statuses['201'] ?? 0;

const legRun = (
  load: LoadResult,
  leg: Pick<HttpLegRun, 'generator' | 'connections' | 'eventsPerRequest' | 'usage'> & {
    readonly serverMicrosecondsPerEvent: number;
    readonly workerMicrosecondsPerEvent?: number;
  },
): HttpLegRun => ({
  connections: leg.connections,
  eventsPerRequest: leg.eventsPerRequest,
  acceptedPerSecond: acceptedPerSecond(load),
  eventsPerSecond: acceptedPerSecond(load) * leg.eventsPerRequest,
  seconds: load.seconds,
  statuses: load.statuses,
  latencyMs: load.latencyMs,
  generator: leg.generator,
  generatorCpuSeconds: Number(load.generatorCpuSeconds.toFixed(3)),
  generatorCpuPercent: load.generatorCpuPercent,
  usage: leg.usage,
  cpuMicrosecondsPerEvent: {
    server: leg.serverMicrosecondsPerEvent,
    loadGenerator: perEvent(load.generatorCpuSeconds, accepted(load) * leg.eventsPerRequest),
    ...(leg.workerMicrosecondsPerEvent === undefined
      ? {}
      : { worker: leg.workerMicrosecondsPerEvent }),
  },
});
