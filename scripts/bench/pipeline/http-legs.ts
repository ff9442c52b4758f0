import { setTimeout as sleep } from 'node:timers/promises';
import { progress, type BenchContext } from './context';
import { GroupLagWatch } from './group-lag';
import { acceptedPerSecond, postLoad, type LoadResult } from './http-load';
import type { HttpProcess } from './http-processes';
import type { ProcessUsage } from './process-usage';
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
  /** CPU of the load generator (autocannon, in the bench process) during the load, % of one core. */
  readonly generatorCpuPercent: number;
  /** The server process's CPU and peak memory during the load. */
  readonly usage: ProcessUsage;
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
  readonly process: HttpProcess;
  readonly lag: GroupLagWatch;
}

const LAG_TIMEOUT_MS = 120_000;
const BATCH_BODIES = 64;

export class HttpLegs {
  private readonly single: string[];

  constructor(private readonly context: BenchContext) {
    this.single = singleBodies(context.settings.users);
  }

  /** A short load that is not measured: JIT, connection set-up, the producer's first metadata. */
  async warmUp(server: HttpProcess, seconds: number): Promise<void> {
    progress(`warming up ${server.name} for ${seconds} s`);
    await postLoad({
      url: server.url,
      path: '/events/generate',
      bodies: this.single,
      connections: 64,
      seconds,
    });
  }

  /** Single POSTs at `connections` against the service; then waits for its lag to be 0. */
  singleOnService(service: ServiceUnderTest, connections: number): Promise<HttpLegRun> {
    progress(`single POST, ${connections} connections: service`);
    return this.onService(service, '/events/generate', this.single, connections, 1);
  }

  /** The same load against the no-op route. */
  async singleOnNoop(noop: HttpProcess, connections: number): Promise<HttpLegRun> {
    progress(`single POST, ${connections} connections: no-op route`);
    const measure = noop.usage.start();
    const load = await postLoad({
      url: noop.url,
      path: '/events/generate',
      bodies: this.single,
      connections,
      seconds: this.context.settings.loadSeconds,
    });
    return legRun(load, connections, 1, measure());
  }

  /** Batches of `size` events at the bench's batch connections. */
  batchOnService(service: ServiceUnderTest, size: number): Promise<HttpLegRun> {
    const { batchConnections, users } = this.context.settings;
    progress(`batch of ${size}, ${batchConnections} connections: service`);
    const bodies = batchBodies(size, BATCH_BODIES, users);
    return this.onService(service, '/events/batch', bodies, batchConnections, size);
  }

  /** Single POSTs at `rate` per second; the latencies are read from the service's log lines. */
  async latencyAt(service: ServiceUnderTest, rate: number): Promise<LatencyRun> {
    progress(`end-to-end latency at ${rate} POSTs/s`);
    const from = logSize(service.process.logPath);
    const load = await this.onService(
      service,
      '/events/generate',
      this.single,
      this.context.settings.latencyConnections,
      1,
      rate,
    );
    // The lag is 0, so every event was processed; pino writes its lines asynchronously: a margin.
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
    { process: service, lag }: ServiceUnderTest,
    path: string,
    bodies: readonly string[],
    connections: number,
    eventsPerRequest: number,
    rate?: number,
  ): Promise<HttpLegRun> {
    const before = await eventCounters(service.url);
    const measure = service.usage.start();
    const load = await postLoad({
      url: service.url,
      path,
      bodies,
      connections,
      seconds: this.context.settings.loadSeconds,
      ...(rate === undefined ? {} : { rate }),
    });
    const usage = measure();
    const lagZeroAt = await lag.untilZero(LAG_TIMEOUT_MS);
    const counters = countersSince(before, await eventCounters(service.url));
    return {
      ...legRun(load, connections, eventsPerRequest, usage),
      counters,
      lagZeroAfterMs: Math.max(0, lagZeroAt - load.endedAt),
    };
  }
}

const legRun = (
  load: LoadResult,
  connections: number,
  eventsPerRequest: number,
  usage: ProcessUsage,
): HttpLegRun => ({
  connections,
  eventsPerRequest,
  acceptedPerSecond: acceptedPerSecond(load),
  eventsPerSecond: acceptedPerSecond(load) * eventsPerRequest,
  seconds: load.seconds,
  statuses: load.statuses,
  latencyMs: load.latencyMs,
  generatorCpuPercent: load.generatorCpuPercent,
  usage,
});
