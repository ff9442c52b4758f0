import { expect } from 'chai';
import { runService, type RunningService } from '../support/running-service';
import { EventLoad, type SentEvent } from '../support/event-load';
import { eventually } from '../support/eventually';
import { capturedLogger } from '../support/captured-logs';
import { outcomesIn, timesProcessed } from '../support/event-outcomes';
import { freshSchema } from '../support/postgres-schema';
import { ProcessedRows } from '../support/processed-rows';
import { readTopic, type ReadRecord } from '../support/raw-kafka';
import { networkBrokers } from '../support/network-hosts';
import type { KafkaClientName } from '../support/kafka-clients';
import { unique } from '../support/unique';
import { percentile } from '../../scripts/bench/pipeline/stats';

export const PUBLISH_TIMEOUT_MS = 2000;
// The shortest session the brokers allow: a consumer cut off longer is replaced in its group.
const SESSION_TIMEOUT_MS = 6000;
// Per service: 4 workers, each at most one request per 40 ms, about 100 requests a second.
const WORKERS = 4;
const PACE_MS = 40;
// Answers that show the load flows: before a fault strikes, and again after it is healed.
const FLOWING = 50;

/** A service on the service's host, with a topic, a consumer group and a schema of its own. */
export interface ServiceOnHosts {
  readonly client: KafkaClientName;
  readonly topic: string;
  readonly app: RunningService;
  readonly rows: ProcessedRows;
  readonly lines: () => ReadonlyArray<Record<string, unknown>>;
  readonly stop: () => Promise<void>;
}

export async function serviceOnHosts(client: KafkaClientName): Promise<ServiceOnHosts> {
  const schema = await freshSchema(`net_${client}`);
  const topic = unique(`net-${client}`);
  const logs = capturedLogger();
  const app = await runService(
    {
      EVENT_BUS: 'kafka',
      KAFKA_CLIENT: client,
      KAFKA_BROKERS: networkBrokers().join(','),
      KAFKA_TOPIC: topic,
      KAFKA_CLIENT_ID: unique('svc'),
      STORE: 'postgres',
      DATABASE_URL: schema.url,
      PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
      KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    },
    undefined,
    logs.logger,
  );
  // Publishing, and holding partitions of its topic: a load before would find nothing consumed.
  await eventually(
    `the ${client} service ready`,
    async () => ((await fetch(`${app.url}/health/ready`)).status === 200 ? true : undefined),
    60_000,
    200,
  ).catch(async (error: unknown) => {
    await app.stop();
    throw error;
  });
  const rows = new ProcessedRows(schema.url);
  return {
    client,
    topic,
    app,
    rows,
    lines: logs.lines,
    stop: async () => {
      await app.stop();
      await rows.close();
      await schema.drop();
    },
  };
}

export interface NetworkFault {
  readonly inject: () => Promise<void>;
  /** Resolves when the fault has lasted its time, or the loads show what the test waits for. */
  readonly hold: (loads: readonly EventLoad[]) => Promise<void>;
  readonly heal: () => Promise<void>;
}

/** When the fault was in force. */
export interface FaultWindow {
  readonly injectedAt: number;
  readonly healedAt: number;
}

/** Milliseconds, of the requests sent before, during and after the fault. */
interface Latencies {
  readonly p50: number;
  readonly p99: number;
}

export interface NetworkFaultReport {
  readonly client: KafkaClientName;
  readonly sent: number;
  readonly created: number;
  readonly unavailable: number;
  /** 503s among the requests sent while the fault was in force. */
  readonly unavailableDuring: number;
  readonly processed: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly latency: { before: Latencies; during: Latencies; after: Latencies };
}

/**
 * Runs a steady load on every service, strikes `fault` once each has {@link FLOWING} 201s, heals
 * it after its hold, and stops the load once each has {@link FLOWING} 201s again; then checks
 * what nothing may break, service by service, and counts what happened.
 */
export async function loadThroughNetworkFault(
  services: readonly ServiceOnHosts[],
  fault: NetworkFault,
): Promise<{ reports: NetworkFaultReport[]; window: FaultWindow; sent: SentEvent[][] }> {
  const loads = services.map(
    ({ app }) =>
      new EventLoad(app.url, {
        requests: Number.POSITIVE_INFINITY,
        concurrency: WORKERS,
        paceMs: PACE_MS,
      }),
  );
  const finished = Promise.all(loads.map((load) => load.run()));
  try {
    await flowing(loads, 0, 'before the fault');
    const injectedAt = Date.now();
    await fault.inject();
    await fault.hold(loads);
    await fault.heal();
    const healedAt = Date.now();
    await flowing(loads, healedAt, 'after the fault was healed');
    const window = { injectedAt, healedAt };
    loads.forEach((load) => load.stop());
    const sent = await finished;
    const reports = [];
    for (const [index, service] of services.entries())
      reports.push(await checkedOutcomes(service, sent[index]!, window));
    return { reports, window, sent };
  } finally {
    loads.forEach((load) => load.stop());
    await finished;
  }
}

async function flowing(loads: readonly EventLoad[], since: number, when: string): Promise<void> {
  const created = (load: EventLoad) =>
    load.sent.filter((event) => event.status === 201 && event.sentAt >= since).length;
  await eventually(
    `${FLOWING} events acknowledged by each service ${when}`,
    () => (loads.every((load) => created(load) >= FLOWING) ? true : undefined),
    90_000,
    100,
  );
}

/**
 * What must hold whatever the fault: every request answered, with a 201 or a 503 only; every
 * 201 on the topic (written to all in-sync replicas: an acknowledged record a leader change
 * dropped would be missing), stored once and processed once; nothing processed twice.
 */
async function checkedOutcomes(
  service: ServiceOnHosts,
  sent: readonly SentEvent[],
  window: FaultWindow,
): Promise<NetworkFaultReport> {
  const label = `${service.client}:`;
  expect(
    sent.filter((event) => event.status !== 201 && event.status !== 503),
    `${label} answers other than 201 and 503 (0: none)`,
  ).to.deep.equal([]);
  const created = sent.filter((event) => event.status === 201).map((event) => event.eventId);
  const stored = await eventually(
    `${label} every acknowledged event stored`,
    async () => {
      const times = await service.rows.timesStored(created);
      return times.size === created.length ? times : undefined;
    },
    90_000,
    500,
  );
  expect(
    [...stored].filter(([, times]) => times !== 1),
    `${label} events stored more than once`,
  ).to.deep.equal([]);
  const onTopic = await eventIdsOnTopic(service.topic, created);
  expect(
    created.filter((id) => !onTopic.has(id)),
    `${label} acknowledged events missing from the topic`,
  ).to.deep.equal([]);
  const ids = new Set(sent.map((event) => event.eventId));
  const outcomes = outcomesIn(service.lines()).filter((line) => ids.has(line.eventId));
  const processed = timesProcessed(outcomes);
  expect(
    [...processed].filter(([, times]) => times > 1),
    `${label} events processed more than once`,
  ).to.deep.equal([]);
  const storedAll = await service.rows.timesStored([...ids]);
  const during = sent.filter(
    (event) => event.sentAt >= window.injectedAt && event.sentAt < window.healedAt,
  );
  return {
    client: service.client,
    sent: sent.length,
    created: created.length,
    unavailable: sent.filter((event) => event.status === 503).length,
    unavailableDuring: during.filter((event) => event.status === 503).length,
    processed: processed.size,
    stored: storedAll.size,
    duplicates: outcomes.filter((line) => line.outcome === 'duplicate').length,
    lost: created.filter((id) => !stored.has(id)).length,
    latency: {
      before: latencies(sent.filter((event) => event.sentAt < window.injectedAt)),
      during: latencies(during),
      after: latencies(sent.filter((event) => event.sentAt >= window.healedAt)),
    },
  };
}

const latencies = (sent: readonly SentEvent[]): Latencies => {
  const values = sent.map((event) => event.latencyMs);
  return { p50: percentile(values, 50), p99: percentile(values, 99) };
};

/**
 * The eventIds on the topic, read from the beginning until all of `expected` arrived or the read
 * gave up: not up to a count of records, as a node that has just rejoined may still report an
 * end offset it had before the fault.
 */
async function eventIdsOnTopic(topic: string, expected: readonly string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  const idsOf = (records: readonly ReadRecord[]) => {
    for (const record of records)
      ids.add((JSON.parse(record.value?.toString() ?? '{}') as { eventId: string }).eventId);
    return expected.every((id) => ids.has(id));
  };
  // A read that gives up leaves what arrived: the caller names the events that did not.
  await readTopic(networkBrokers(), topic, idsOf, 60_000).catch(() => undefined);
  return ids;
}
