import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import pino, { type Logger } from 'pino';
import type { Config } from './config/config';
import { CLOCK, type Clock } from './application/clock.port';
import { ID_GENERATOR } from './application/id-generator.port';
import { PROCESSED_EVENT_STORE } from './application/processed-event-store.port';
import { PublishEvent } from './application/publish-event';
import { PUBLISHED_EVENTS } from './application/published-events.port';
import { EVENT_SETBACKS } from './application/event-setbacks.port';
import { ReportedSetbacks } from './adapters/shared/reported-setbacks';
import { ProcessEvent } from './application/process-event';
import { ListProcessedEvents } from './application/list-processed-events';
import { GetProcessedEvent } from './application/get-processed-event';
import { GetEventStatus } from './application/get-event-status';
import { SystemClock } from './adapters/system/system-clock';
import { CryptoIdGenerator } from './adapters/system/crypto-id-generator';
import { RecentlyPublishedEvents } from './adapters/memory/recently-published-events';
import { createHttpApp } from './adapters/http/http-app';
import { PrometheusMetrics } from './adapters/prometheus/prometheus-metrics';
import type { BackoffPolicy } from './adapters/shared/capped-backoff';
import { registerDefault, resolvePort } from './wiring/port-registry';
import type { BusDependencies, RunningBus } from './wiring/running-bus';
import { startMemoryBus } from './wiring/memory-bus';
import { startKafkaBus } from './wiring/kafka-bus';
import { NOTHING_TO_CLOSE, type RunningStore } from './wiring/running-store';
import { startMemoryStore } from './wiring/memory-store';
import { startPostgresStore } from './wiring/postgres-store';
import { ServiceReadiness } from './wiring/service-readiness';
import { ServiceRuntime } from './wiring/service-runtime';

export interface ServiceOptions {
  /** Registers replacements for ports before anything is resolved (tests use it for fakes). */
  readonly overrides?: (container: DependencyContainer) => void;
  readonly logger?: Logger;
  /** Called when event delivery broke for good; `main` exits non-zero. Default: log it. */
  readonly onFatal?: (error: Error) => void;
}

/** The service's JSON log lines, each naming the service. */
// Written synchronously, a line at a time. pino's default destination writes in the background,
// at most 16 KiB per completed write, so at most one such chunk per turn of the event loop: at
// 17,000 events/s (batches of 500) the lines came faster than that, and the lines not yet
// written grew the heap without bound (live memory from 13 MB to 234 MB in 40 s, still rising).
// Written as they come, they cost a write call each and the heap stays flat (72 MB live).
export const serviceLogger = (level: Config['logLevel']): Logger =>
  pino({ level, base: { service: 'user-events-service' } }, pino.destination({ sync: true }));

/**
 * The one place that picks adapters: builds a child container from the configuration, opens the
 * store, connects the bus and returns the service, ready to listen. Each call is independent of
 * the others.
 */
export async function startService(
  config: Config,
  options: ServiceOptions = {},
): Promise<ServiceRuntime> {
  const logger = options.logger ?? serviceLogger(config.logLevel);
  const container = rootContainer.createChildContainer();
  options.overrides?.(container);
  registerDefault<Clock>(container, CLOCK, () => new SystemClock());
  registerDefault(container, ID_GENERATOR, () => new CryptoIdGenerator());
  registerDefault(
    container,
    PUBLISHED_EVENTS,
    () => new RecentlyPublishedEvents(config.publishedStatusMaxEvents),
  );
  // Before the bus starts, so that the first delivered event finds the schema migrated.
  const store = await startStore(container, config, logger);

  const metrics = new PrometheusMetrics();
  registerDefault(
    container,
    EVENT_SETBACKS,
    () =>
      new ReportedSetbacks(
        resolvePort(container, PROCESSED_EVENT_STORE),
        resolvePort(container, CLOCK),
        SETBACKS_KEPT,
      ),
  );
  const bus = await startBus(container, config, {
    processEvent: container.resolve(ProcessEvent),
    redelivery: redeliveryOf(config),
    logger,
    metrics,
    setbacks: resolvePort(container, EVENT_SETBACKS),
    onFatal:
      options.onFatal ?? ((error: Error) => logger.fatal({ err: error }, 'event delivery stopped')),
  });
  if (bus.lag !== undefined) metrics.measureLag(bus.lag);

  const readiness = new ServiceReadiness(bus, resolvePort(container, PROCESSED_EVENT_STORE));
  const http = createHttpApp({
    publishEvent: container.resolve(PublishEvent),
    listProcessedEvents: container.resolve(ListProcessedEvents),
    getProcessedEvent: container.resolve(GetProcessedEvent),
    getEventStatus: container.resolve(GetEventStatus),
    readiness: () => readiness.check(),
    settings: httpSettingsOf(config),
    clock: resolvePort(container, CLOCK),
    logger,
    metrics,
  });
  return new ServiceRuntime(
    container,
    http,
    bus,
    store,
    readiness,
    logger,
    config.connectionLimits,
  );
}

/** The store that `STORE` names, unless a test registered one (then nothing is opened). */
function startStore(
  container: DependencyContainer,
  config: Config,
  logger: Logger,
): Promise<RunningStore> {
  if (container.isRegistered(PROCESSED_EVENT_STORE, false))
    return Promise.resolve(NOTHING_TO_CLOSE);
  if (config.store === 'memory') {
    return Promise.resolve(
      startMemoryStore(container, {
        maxEvents: config.memoryStoreMaxEvents,
        maxBytes: config.memoryStoreMaxBytes,
      }),
    );
  }
  // parseConfig refuses STORE=postgres without DATABASE_URL; this guards against a bypass of it.
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for postgres');
  return startPostgresStore(container, config.databaseUrl, logger);
}

/** The bus that `EVENT_BUS` names; a publisher a test registered is kept. */
function startBus(
  container: DependencyContainer,
  config: Config,
  deps: BusDependencies,
): Promise<RunningBus> {
  return config.eventBus === 'kafka'
    ? startKafkaBus(container, config, deps)
    : Promise.resolve(startMemoryBus(container, config.maxPendingEvents, deps));
}

// Setbacks are rare: a store outage holds back the records in hand, a few thousand at most.
const SETBACKS_KEPT = 10_000;

// A store that failed is tried again after 0.1 s, 0.2 s … and then every 5 s.
const redeliveryOf = (config: Config): BackoffPolicy => ({
  firstDelayMs: 100,
  maxDelayMs: 5000,
  maxAttempts: config.processMaxAttempts,
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
