import { rmSync } from 'node:fs';
import { whileAlive } from './bench-process';
import { emptyTable, storedRows } from './bare-insert';
import { progress, type BenchContext } from './context';
import type { Backlog } from './drain-legs';
import { GroupLagWatch } from './group-lag';
import { startServiceProcess, type HttpProcess } from './http-processes';
import { perEvent } from './process-usage';
import { eventCounters } from './service-metrics';
import { processedLinesIn, type ProcessedLines } from './service-log';
import { eventually } from '../../../test/support/eventually';

/** `instances` fresh service processes, STORE=postgres, one fresh group, draining one backlog. */
export interface ScalingRun {
  readonly instances: number;
  readonly records: number;
  /** Rows in the table once the group's lag was 0: each eventId once, so `records`. */
  readonly rows: number;
  /** "event processed" lines of each instance: how the partitions' work was shared. */
  readonly processedPerInstance: readonly number[];
  /** Records an instance found already stored: redelivered around the group's rebalances. */
  readonly duplicates: number;
  /** All instances' processed events / (last line's time − first line's time, over all). */
  readonly eventsPerSecond: number;
  /** From the spawn of the instances until the first processed event of any of them. */
  readonly startSeconds: number;
  /** From the first processed event until the bench saw the group's committed lag at 0. */
  readonly firstToLagZeroSeconds: number;
  /** CPU seconds of all instances together, from spawn until lag 0; and per record, µs. */
  readonly cpuSeconds: number;
  readonly cpuMicrosecondsPerEvent: number;
  /** The largest peak resident set among the instances, MB. */
  readonly peakRssMb: number;
}

/** The backlog on the three-node cluster, drained by 1, 2, 3 … instances of one group. */
export class ScalingLegs {
  /** `context.brokers` is the cluster's bootstrap list. */
  constructor(
    private readonly context: BenchContext,
    private readonly backlog: Backlog,
  ) {}

  async drain(instances: number, repetition: number): Promise<ScalingRun> {
    const { brokers, runId, databaseUrl, cleanup, settings, client } = this.context;
    const { topic, events } = this.backlog;
    progress(
      `drain of ${events.length} records on the cluster by ${instances} instance(s), on ${client}`,
    );
    await emptyTable(databaseUrl);
    const groupId = `${runId}-scale-${instances}-${repetition}`;
    const lag = new GroupLagWatch(brokers, groupId, topic);
    const spawnedAt = Date.now();
    const services = await Promise.all(
      Array.from({ length: instances }, (_, index) =>
        startServiceProcess(
          `service-scale-${instances}x-${repetition}-${index + 1}`,
          {
            KAFKA_CLIENT: client,
            KAFKA_BROKER: brokers.join(','),
            KAFKA_TOPIC: topic,
            KAFKA_TOPIC_PARTITIONS: String(settings.scaling.partitions),
            KAFKA_GROUP_ID: groupId,
            STORE: 'postgres',
            DATABASE_URL: databaseUrl,
          },
          cleanup,
          { waitUntilReady: false },
        ),
      ),
    );
    try {
      const measures = services.map((service) => service.usage.start());
      // A drain slower than 500 events/s is a broken one, not a slow one.
      const timeoutMs = Math.max(120_000, (events.length / 500) * 1000);
      const lagZeroAt = await services.reduce(
        (work, service) => whileAlive(service, work),
        lag.untilZero(timeoutMs),
      );
      const usages = measures.map((measure) => measure());
      const duplicates = await duplicatesOf(services);
      await Promise.all(services.map((service) => service.stop()));
      const lines = await Promise.all(services.map((service) => processedLinesIn(service.logPath)));
      const rows = await storedRows(databaseUrl);
      if (rows !== events.length)
        throw new Error(`${instances} instance(s) stored ${rows} rows of ${events.length} records`);
      for (const service of services) rmSync(service.logPath, { force: true });
      const firstAt = Math.min(...lines.map((line) => line.firstAt));
      const lastAt = Math.max(...lines.map((line) => line.lastAt));
      const processed = total(lines.map((line) => line.count));
      return {
        instances,
        records: events.length,
        rows,
        processedPerInstance: lines.map((line: ProcessedLines) => line.count),
        duplicates,
        eventsPerSecond: processed / ((lastAt - firstAt) / 1000),
        startSeconds: (firstAt - spawnedAt) / 1000,
        firstToLagZeroSeconds: (lagZeroAt - firstAt) / 1000,
        cpuSeconds: total(usages.map((usage) => usage.cpuSeconds)),
        cpuMicrosecondsPerEvent: perEvent(
          total(usages.map((usage) => usage.cpuSeconds)),
          events.length,
        ),
        peakRssMb: Math.max(...usages.map((usage) => usage.peakRssMb)),
      };
    } finally {
      await Promise.all(services.map((service) => service.stop()));
      await lag.close();
    }
  }
}

async function duplicatesOf(services: readonly HttpProcess[]): Promise<number> {
  const counters = await Promise.all(
    services.map((service) =>
      eventually('GET /metrics', () => eventCounters(service.url).catch(() => undefined), 30_000),
    ),
  );
  return total(counters.map((counter) => counter.duplicates));
}

const total = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0);
