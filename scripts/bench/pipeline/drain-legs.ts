import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnCompiled, whileAlive } from './bench-process';
import { bareInsert, emptyTable, type BareInsertRun } from './bare-insert';
import type { UserEvent } from '../../../src/domain/user-event';
import { progress, type BenchContext } from './context';
import { GroupLagWatch } from './group-lag';
import { startServiceProcess } from './http-processes';
import { perEvent, type ProcessUsage } from './process-usage';
import { eventCounters, type EventCounters } from './service-metrics';
import { processedLinesIn } from './service-log';
import { within } from './waiting';
import { eventually } from '../../../test/support/eventually';

/** A fresh service process draining the backlog in a fresh consumer group. */
export interface DrainRun {
  readonly store: 'memory' | 'postgres';
  readonly records: number;
  /** "event processed" log lines: one per event stored for the first time. */
  readonly processed: number;
  /** processed / (last line's time − first line's time): the drain's own rate. */
  readonly eventsPerSecond: number;
  /** From the process's spawn until its first processed event (start-up: ts-node, connect, join). */
  readonly startSeconds: number;
  /** From the first processed event until the bench saw the group's committed lag at 0. */
  readonly firstToLagZeroSeconds: number;
  /** The service's own counters at the end (GET /metrics). */
  readonly counters: EventCounters;
  /** The whole process, start-up included, until its lag was 0; per event: per backlog record. */
  readonly usage: ProcessUsage;
}

export interface BareConsumerRun {
  readonly records: number;
  readonly parsedEvents: number;
  readonly eventsPerSecond: number;
  /** Its CPU over its whole life (start-up included, as the service drain's), and per record, µs. */
  readonly cpuSeconds: number;
  readonly cpuMicrosecondsPerEvent: number;
}

export interface Backlog {
  readonly topic: string;
  readonly events: readonly UserEvent[];
}

export class DrainLegs {
  constructor(
    private readonly context: BenchContext,
    private readonly backlog: Backlog,
  ) {}

  /** The real service, STORE=`store`, from its start until it has processed the whole backlog. */
  async service(store: 'memory' | 'postgres', repetition: number): Promise<DrainRun> {
    const { brokers, runId, databaseUrl, cleanup, client } = this.context;
    const { topic, events } = this.backlog;
    progress(`drain of ${events.length} records, STORE=${store}, on ${client}`);
    if (store === 'postgres') await emptyTable(databaseUrl);
    const groupId = `${runId}-drain-${store}-${repetition}`;
    const lag = new GroupLagWatch(brokers, groupId, topic);
    const spawnedAt = Date.now();
    const service = await startServiceProcess(
      `service-drain-${store}-${repetition}`,
      {
        KAFKA_CLIENT: client,
        KAFKA_BROKER: brokers.join(','),
        KAFKA_TOPIC: topic,
        KAFKA_GROUP_ID: groupId,
        STORE: store,
        ...(store === 'postgres' ? { DATABASE_URL: databaseUrl } : {}),
      },
      cleanup,
      { waitUntilReady: false },
    );
    try {
      const measure = service.usage.start();
      // A drain slower than 500 events/s is a broken one, not a slow one.
      const timeoutMs = Math.max(120_000, (events.length / 500) * 1000);
      const lagZeroAt = await whileAlive(service, lag.untilZero(timeoutMs));
      // Each record of the backlog, processed once by lag 0 (a fresh group, an empty store).
      const usage = measure(events.length);
      const counters = await eventually(
        'GET /metrics',
        () => eventCounters(service.url).catch(() => undefined),
        30_000,
      );
      await service.stop();
      const lines = await processedLinesIn(service.logPath);
      if (lines.count === 0) throw new Error(`drain-${store}: no "event processed" line`);
      rmSync(service.logPath, { force: true });
      return {
        store,
        records: events.length,
        processed: lines.count,
        eventsPerSecond: lines.count / ((lines.lastAt - lines.firstAt) / 1000),
        startSeconds: (lines.firstAt - spawnedAt) / 1000,
        firstToLagZeroSeconds: (lagZeroAt - lines.firstAt) / 1000,
        counters,
        usage,
      };
    } finally {
      await service.stop();
      await lag.close();
    }
  }

  /** The ceiling of the memory drain: a bare kafkajs consumer in a process of its own. */
  async bareConsumer(repetition: number): Promise<BareConsumerRun> {
    const { brokers, runId, cleanup, settings } = this.context;
    progress(`bare kafkajs consumer over ${this.backlog.events.length} records`);
    const consumer = spawnCompiled(
      `bare-consumer-${repetition}`,
      resolve(__dirname, 'bare-consumer.ts'),
      {
        BENCH_BROKERS: brokers.join(','),
        BENCH_TOPIC: this.backlog.topic,
        BENCH_GROUP: `${runId}-bare-consumer-${repetition}`,
        BENCH_RECORDS: String(this.backlog.events.length),
        BENCH_PARTITIONS: String(settings.partitions),
      },
      cleanup,
    );
    const code = await within('bare consumer', 660_000, consumer.exited);
    await consumer.stop();
    const lastLine = readFileSync(consumer.logPath, 'utf8').trimEnd().split('\n').pop() ?? '';
    if (code !== 0) throw new Error(`bare consumer exited with ${code}:\n${consumer.logTail()}`);
    const run = JSON.parse(lastLine) as Omit<BareConsumerRun, 'cpuMicrosecondsPerEvent'>;
    rmSync(consumer.logPath, { force: true });
    return {
      records: run.records,
      parsedEvents: run.parsedEvents,
      eventsPerSecond: run.eventsPerSecond,
      cpuSeconds: Number(run.cpuSeconds.toFixed(2)),
      cpuMicrosecondsPerEvent: perEvent(run.cpuSeconds, run.records),
    };
  }

  /** The ceiling of the PostgreSQL drain: one multi-row INSERT per 500 rows, one connection. */
  bareInsert(): Promise<BareInsertRun> {
    progress(`bare INSERT ... SELECT FROM unnest of ${this.backlog.events.length} rows`);
    return within(
      'bare insert',
      600_000,
      bareInsert(this.context.databaseUrl, this.backlog.events),
    );
  }
}
