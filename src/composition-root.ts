import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import pino, { type Logger } from 'pino';
import type { Config } from './config/config';
import { CLOCK } from './application/clock.port';
import { ID_GENERATOR } from './application/id-generator.port';
import { PUBLISHED_EVENTS } from './application/published-events.port';
import { SERVICE_METRICS } from './application/service-metrics.port';
import { PublishEvent } from './application/publish-event';
import { ListProcessedEvents } from './application/list-processed-events';
import { GetProcessedEvent } from './application/get-processed-event';
import { GetEventStatus } from './application/get-event-status';
import { FollowProcessedEvents } from './application/follow-processed-events';
import { DeadLetterQueue } from './application/dead-letter-queue';
import { SystemClock } from './adapters/system/system-clock';
import { BatchedLines } from './adapters/system/batched-lines';
import { traceLogFields } from './adapters/system/trace-log-fields';
import { CryptoIdGenerator } from './adapters/system/crypto-id-generator';
import { RecentlyPublishedEvents } from './adapters/memory/recently-published-events';
import { PrometheusMetrics } from './adapters/prometheus/prometheus-metrics';
import { createHttpApp } from './adapters/http/http-app';
import { EventStreams, type StreamTimings } from './adapters/http/event-stream';
import { registerDefault, resolvePort } from './wiring/port-registry';
import type { AdapterSet } from './wiring/adapter-set';
import type { BusSettings } from './wiring/bus-dependencies';
import { MemoryBus } from './wiring/memory-bus';
import { KafkaBus } from './wiring/kafka-bus';
import { kafkaClientOf } from './wiring/kafka-client-of';
import { MemoryStore } from './wiring/memory-store';
import { PostgresStore } from './wiring/postgres-store';
import { storeRetries } from './wiring/retry-policies';
import { ServiceReadiness } from './wiring/service-readiness';
import { ServiceRuntime } from './wiring/service-runtime';
import { partsOf, type ServiceParts } from './wiring/service-parts';
import { startTracing } from './wiring/open-telemetry';

export interface ServiceOptions {
  /**
   * Registers replacements for ports before anything is registered or resolved: a test's fakes,
   * a bench's publisher that answers at once. Every other port keeps its default.
   */
  readonly overrides?: (container: DependencyContainer) => void;
  readonly logger?: Logger;
  /** Called when event delivery broke for good; `main` exits non-zero. Default: log it. */
  readonly onFatal?: (error: Error) => void;
  /** How GET /events/stream paces its streams; a test shortens it. Default: STREAM_TIMINGS. */
  readonly streamTimings?: StreamTimings;
}

/**
 * The service's JSON log lines, each naming the service and, when `traced`, the span it was
 * written in.
 */
export const serviceLogger = (level: Config['logLevel'], traced = false): Logger =>
  pino(
    { level, base: { service: 'user-events-service' }, ...(traced && { mixin: traceLogFields }) },
    standardOutputLines(),
  );

// One batch of lines, and one exit hook, for standard output however many services a process
// starts. The batch is written synchronously: pino's own background writes send at most 16 KiB
// per completed write, one per turn of the event loop, and at 17,000 events/s (batches of 500)
// the lines came faster than that: the lines not yet written grew the heap without bound.
let standardOutput: BatchedLines | undefined;
const LOG_BATCH_MAX_CHARS = 64 * 1024;

function standardOutputLines(): BatchedLines {
  if (standardOutput !== undefined) return standardOutput;
  const lines = new BatchedLines(pino.destination({ sync: true }), LOG_BATCH_MAX_CHARS);
  // Every way out passes here (process.exit, the end of the loop, an uncaught exception).
  process.once('exit', () => lines.flush());
  standardOutput = lines;
  return lines;
}

/**
 * The one place that picks adapters: registers every port in a child container (a test's
 * overrides first), starts the store and then the bus that the configuration names, with the
 * parts its role runs, and returns the service, ready to listen. Each call is independent of
 * the others.
 */
export async function startService(
  config: Config,
  options: ServiceOptions = {},
): Promise<ServiceRuntime> {
  const logger = options.logger ?? serviceLogger(config.logLevel, config.tracing !== undefined);
  // Before any adapter: the spans of the first requests and records are exported too.
  const tracing = startTracing(config.tracing, logger);
  const container = rootContainer.createChildContainer();
  options.overrides?.(container);
  const onFatal =
    options.onFatal ?? ((error: Error) => logger.fatal({ err: error }, 'event delivery stopped'));
  const parts = partsOf(config.role);
  // The store first, so that the first delivered event finds the schema migrated.
  const sets = [
    storeOf(config, logger),
    busOf(config, parts, {
      logger,
      onFatal,
      storeRetries: storeRetries(config.processMaxAttempts),
      tracer: tracing.tracer,
    }),
  ];
  await startSets(container, config, parts, sets).catch(async (error: unknown) => {
    await tracing.stop();
    throw error;
  });

  const readiness = new ServiceReadiness(sets);
  const metrics = resolvePort(container, SERVICE_METRICS);
  const streams = new EventStreams(config.sseMaxClients, metrics, options.streamTimings);
  const http = createHttpApp({
    events: parts.intake ? eventUseCases(container) : undefined,
    streams,
    readiness: () => readiness.check(),
    settings: httpSettingsOf(config),
    clock: resolvePort(container, CLOCK),
    logger,
    metrics,
    tracer: tracing.tracer,
  });
  return new ServiceRuntime(container, http, {
    sets,
    readiness,
    logger,
    limits: config.connectionLimits,
    streams,
    tracing,
  });
}

/** Registers every port, then starts the sets in order. */
async function startSets(
  container: DependencyContainer,
  config: Config,
  parts: ServiceParts,
  sets: readonly AdapterSet[],
): Promise<void> {
  registerPorts(container, config, parts, sets);
  for (const set of sets) await set.start(container);
}

/** Every port of the service, under its token, unless an override took it already. */
function registerPorts(
  container: DependencyContainer,
  config: Config,
  parts: ServiceParts,
  sets: readonly AdapterSet[],
): void {
  registerDefault(container, CLOCK, () => new SystemClock());
  registerDefault(container, ID_GENERATOR, () => new CryptoIdGenerator());
  registerDefault(
    container,
    PUBLISHED_EVENTS,
    () => new RecentlyPublishedEvents(config.publishedStatusMaxEvents),
  );
  // A registry per service, so that several services in one process count apart.
  registerDefault(
    container,
    SERVICE_METRICS,
    () => new PrometheusMetrics({ publishing: parts.intake, processing: parts.processing }),
  );
  // The store set registers the store and the setbacks; the bus set the publishers.
  for (const set of sets) set.register(container);
}

/** The store that `STORE` names. */
function storeOf(config: Config, logger: Logger): AdapterSet {
  if (config.store === 'memory')
    return new MemoryStore({
      maxEvents: config.memoryStoreMaxEvents,
      maxBytes: config.memoryStoreMaxBytes,
    });
  // parseConfig refuses STORE=postgres without DATABASE_URL; this guards against a bypass of it.
  if (config.database === undefined) throw new Error('DATABASE_URL is required for postgres');
  return new PostgresStore(config.database, logger);
}

/** The bus that `EVENT_BUS` names, with the parts this process runs. */
function busOf(config: Config, parts: ServiceParts, settings: BusSettings): AdapterSet {
  if (config.eventBus === 'kafka')
    return new KafkaBus(
      kafkaClientOf(config.kafka.client, config.kafka, config.publishTimeoutMs, settings.logger),
      config,
      settings,
      parts,
    );
  // The in-memory bus runs every part: parseConfig refuses it with any other role; this guards
  // against a bypass of it.
  if (config.role !== 'all') throw new Error('EVENT_BUS=memory needs SERVICE_ROLE=all');
  return new MemoryBus(config.maxPendingEvents, settings);
}

/** What the event routes run, resolved only where they are served (a worker has no publisher). */
const eventUseCases = (container: DependencyContainer) => ({
  publishEvent: container.resolve(PublishEvent),
  listProcessedEvents: container.resolve(ListProcessedEvents),
  getProcessedEvent: container.resolve(GetProcessedEvent),
  getEventStatus: container.resolve(GetEventStatus),
  followProcessedEvents: container.resolve(FollowProcessedEvents),
  deadLetterQueue: container.resolve(DeadLetterQueue),
});

const httpSettingsOf = (config: Config) => ({
  maxBodyBytes: config.maxBodyBytes,
  keyDigests: config.keyDigests,
  rateLimitPerMinute: config.rateLimitPerMinute,
  eventTypes:
    config.eventTypes === undefined
      ? ({ kind: 'any' } as const)
      : ({ kind: 'only', types: new Set(config.eventTypes) } as const),
});
