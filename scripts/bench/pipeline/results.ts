import type { BareConsumerRun, DrainRun } from './drain-legs';
import type { BareInsertRun } from './bare-insert';
import type { RolePoint } from './role-legs';
import type { TracingPoint } from './tracing-legs';
import { cpuPerEvent, type CpuPerEventRow } from './cpu-per-event';
import { singleCeilings, type SingleCeilingsRow } from './single-ceilings';
import type { HttpLegRun, LatencyRun } from './http-legs';
import type { ProducerPerformanceRun } from './producer-performance';
import type { ScalingRun } from './scaling-legs';
import type { BenchSettings } from './settings';
import { median } from './stats';
import type { KafkaClientName } from '../../../test/support/kafka-clients';

/** One run of `npm run bench`: every repetition of every leg, and the summary it prints. */
export interface BenchResults {
  readonly mode: BenchSettings['mode'];
  /** The Kafka client of the service's legs; the ceilings are the run's, shared by every client. */
  readonly client: KafkaClientName;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly commit: string;
  readonly machine: Machine;
  readonly settings: BenchSettings;
  /** Key + JSON value + header names and values of one service record, bytes. */
  readonly recordBytes: number;
  readonly backlog: {
    readonly topic: string;
    readonly records: number;
    readonly producedInSeconds: number;
  };
  /** Which load generator sent the legs as fast as the server answers, and the latency leg. */
  readonly loadGenerators: { readonly load: string; readonly rateLimited: string };
  readonly single: ReadonlyArray<{
    readonly connections: number;
    readonly service: readonly HttpLegRun[];
    /** The service's stack with a publisher that answers at once. */
    readonly noop: readonly HttpLegRun[];
    /** Koa, @koa/router and koa-bodyparser answering 201 at once. */
    readonly bare: readonly HttpLegRun[];
  }>;
  readonly batch: ReadonlyArray<{ readonly size: number; readonly service: readonly HttpLegRun[] }>;
  readonly latency: readonly LatencyRun[];
  readonly producerPerformance: readonly ProducerPerformanceRun[];
  readonly drain: {
    readonly memory: readonly DrainRun[];
    readonly postgres: readonly DrainRun[];
    readonly bareConsumer: readonly BareConsumerRun[];
    readonly bareInsert: readonly BareInsertRun[];
  };
  /** All in one process against an api beside a worker (SERVICE_ROLE), on PostgreSQL. */
  readonly roles: readonly RolePoint[];
  /** Single POSTs with tracing off and on (always, and a tenth of the traces). */
  readonly tracing: readonly TracingPoint[];
  /** Instances of one group draining one backlog on a cluster of the bench's own. */
  readonly scaling: {
    readonly nodes: number;
    readonly topic: string;
    readonly records: number;
    readonly partitions: number;
    readonly producedInSeconds: number;
    readonly points: ReadonlyArray<{
      readonly instances: number;
      readonly runs: readonly ScalingRun[];
    }>;
  };
  /** Each process's peak resident set and CPU over its whole life. */
  readonly processes: ReadonlyArray<{
    readonly name: string;
    readonly peakRssMb: number;
    readonly cpuSeconds: number;
  }>;
  readonly summary: Summary;
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly kafka: string;
  readonly postgres: string;
  readonly loadGenerator: string;
}

/** A service figure beside its ceiling. */
export interface RatioRow {
  readonly leg: string;
  readonly service: number;
  readonly ceiling: number;
  readonly ceilingName: string;
  readonly ratio: number;
  /** The target ratio for this leg, if it sets one. */
  readonly target?: number;
}

/** A figure that the issue sets a bound on without a ceiling. */
export interface TargetRow {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly met: boolean;
}

export interface Summary {
  readonly ratios: readonly RatioRow[];
  /** The single POSTs of the service and of the no-op route over both ceilings, and CPU per event. */
  readonly single: readonly SingleCeilingsRow[];
  /** CPU per event of the other legs, beside their ceilings' where measured. */
  readonly cpuPerEvent: readonly CpuPerEventRow[];
  readonly targets: readonly TargetRow[];
  /** The highest median accepted/s of the single-POST legs, and its connections. */
  readonly highestSingleRate: { readonly connections: number; readonly acceptedPerSecond: number };
}

type Measured = Omit<BenchResults, 'summary'>;

const medianOf = <T>(runs: readonly T[], figure: (run: T) => number): number =>
  median(runs.map(figure));

/** Medians over the repetitions, each service figure over its ceiling, and the targets. */
export function summarise(results: Measured): Summary {
  const producer = medianOf(results.producerPerformance, (run) => run.recordsPerSecond);
  const ratio = (
    leg: string,
    service: number,
    ceiling: number,
    ceilingName: string,
    target?: number,
  ): RatioRow => ({
    leg,
    service,
    ceiling,
    ceilingName,
    ratio: service / ceiling,
    ...(target === undefined ? {} : { target }),
  });
  // Issue 21's targets: the bare framework is the single POSTs' ceiling; the no-op route, the
  // service's own app, is measured against it too.
  const ratios = [
    ...results.single.map((point) =>
      ratio(
        `POST /events/generate, concurrency ${point.connections} (accepted/s)`,
        medianOf(point.service, (run) => run.acceptedPerSecond),
        medianOf(point.bare, (run) => run.acceptedPerSecond),
        'bare Koa + router + body parser, same connections',
        point.connections === 64 ? 0.6 : undefined,
      ),
    ),
    ...results.single
      .filter((point) => point.connections === 64)
      .map((point) =>
        ratio(
          `the service's own app, publisher answering at once, concurrency 64 (accepted/s)`,
          medianOf(point.noop, (run) => run.acceptedPerSecond),
          medianOf(point.bare, (run) => run.acceptedPerSecond),
          'bare Koa + router + body parser, same connections',
          0.8,
        ),
      ),
    ...results.batch.map((point) =>
      ratio(
        `POST /events/batch, ${point.size} per request (events/s)`,
        medianOf(point.service, (run) => run.eventsPerSecond),
        producer,
        `ProducerPerformance, ${results.recordBytes} B, acks=all`,
        point.size === 500 ? 0.35 : undefined,
      ),
    ),
    ...results.roles
      .filter((point) => point.path === '/events/batch')
      .map((point) =>
        ratio(
          `POST /events/batch, ${point.eventsPerRequest} per request, api and worker apart, STORE=postgres (events/s)`,
          medianOf(point.split, (run) => run.eventsPerSecond),
          producer,
          `ProducerPerformance, ${results.recordBytes} B, acks=all`,
        ),
      ),
    ratio(
      `backlog drain, memory store (events/s)`,
      medianOf(results.drain.memory, (run) => run.eventsPerSecond),
      medianOf(results.drain.bareConsumer, (run) => run.eventsPerSecond),
      'bare kafkajs consumer, eachBatch + JSON.parse',
      0.7,
    ),
    ratio(
      `backlog drain, PostgreSQL store (events/s)`,
      medianOf(results.drain.postgres, (run) => run.eventsPerSecond),
      medianOf(results.drain.bareInsert, (run) => run.rowsPerSecond),
      'one INSERT ... SELECT FROM unnest per 500 rows',
      0.6,
    ),
  ];
  const highest = results.single
    .map((point) => ({
      connections: point.connections,
      acceptedPerSecond: medianOf(point.service, (run) => run.acceptedPerSecond),
      lagZeroAfterMs: medianOf(point.service, (run) => run.lagZeroAfterMs ?? NaN),
    }))
    .reduce((best, point) => (point.acceptedPerSecond > best.acceptedPerSecond ? point : best));
  const p99 = medianOf(results.latency, (run) => run.p99Ms);
  const peakRss = Math.max(
    ...results.processes
      .filter(
        (process) =>
          process.name.startsWith('service') && process.name.endsWith(`-${results.client}`),
      )
      .map((p) => p.peakRssMb),
  );
  return {
    ratios,
    single: singleCeilings(results.single),
    cpuPerEvent: cpuPerEvent(results),
    highestSingleRate: {
      connections: highest.connections,
      acceptedPerSecond: highest.acceptedPerSecond,
    },
    targets: [
      {
        what: `lag back to 0 after the highest sustained single-POST rate (concurrency ${highest.connections})`,
        value: highest.lagZeroAfterMs / 1000,
        unit: 's',
        target: '≤ 2 s',
        met: highest.lagZeroAfterMs <= 2000,
      },
      {
        what: `end-to-end p99 at half that rate (${Math.round(highest.acceptedPerSecond / 2)} POSTs/s)`,
        value: p99,
        unit: 'ms',
        target: '< 50 ms',
        met: p99 < 50,
      },
      {
        what: 'peak RSS of the service processes through the whole bench',
        value: peakRss,
        unit: 'MB',
        target: '< 300 MB',
        met: peakRss < 300,
      },
    ],
  };
}
