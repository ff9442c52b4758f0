import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { CLOCK, type Clock } from './application/clock.port';
import { ID_GENERATOR } from './application/id-generator.port';
import { PROCESSED_EVENT_STORE } from './application/processed-event-store.port';
import { registerDefault, resolvePort } from './port-registry';
import { PublishEvent } from './application/publish-event';
import { ProcessEvent } from './application/process-event';
import { ListProcessedEvents } from './application/list-processed-events';
import { GetProcessedEvent } from './application/get-processed-event';
import { SystemClock } from './adapters/system/system-clock';
import { CryptoIdGenerator } from './adapters/system/crypto-id-generator';
import { createHttpApp } from './adapters/http/http-app';
import { PrometheusMetrics } from './adapters/prometheus/prometheus-metrics';
import type { RedeliveryPolicy } from './adapters/shared/redelivery';
import { startMemoryBus, type RunningBus } from './event-bus-wiring';
import { startKafkaBus } from './kafka-bus-wiring';
import { startStore } from './store-wiring';
import { ServiceReadiness, ServiceRuntime } from './service-runtime';

export interface ServiceOptions {
  /** Registers replacements for ports before anything is resolved (tests use it for fakes). */
  readonly overrides?: (container: DependencyContainer) => void;
  readonly logger?: Logger;
  /** Called when event delivery broke for good; `main` exits non-zero. Default: log it. */
  readonly onFatal?: (error: Error) => void;
}

/**
 * The one place that picks adapters: builds a child container from the configuration, opens the
 * store, connects the bus and returns the service, ready to listen. Each call is independent of
 * the others.
 */
export async function startService(
  config: Config,
  options: ServiceOptions = {},
): Promise<ServiceRuntime> {
  const logger =
    options.logger ?? pino({ level: config.logLevel, base: { service: 'user-events-service' } });
  const container = rootContainer.createChildContainer();
  options.overrides?.(container);
  registerDefault<Clock>(container, CLOCK, () => new SystemClock());
  registerDefault(container, ID_GENERATOR, () => new CryptoIdGenerator());
  // Before the bus starts, so that the first delivered event finds the schema migrated.
  const store = await startStore(container, config, logger);

  const redelivery: RedeliveryPolicy = {
    firstDelayMs: 100,
    maxDelayMs: 5000,
    maxAttempts: config.processMaxAttempts,
  };
  const processEvent = container.resolve(ProcessEvent);
  const onFatal =
    options.onFatal ?? ((error: Error) => logger.fatal({ err: error }, 'event delivery stopped'));
  const metrics = new PrometheusMetrics();
  const busDependencies = { processEvent, redelivery, logger, metrics, onFatal };
  const bus: RunningBus =
    config.eventBus === 'kafka'
      ? await startKafkaBus(container, config, busDependencies)
      : startMemoryBus(container, busDependencies);
  if (bus.lag !== undefined) metrics.measureLag(bus.lag);

  const readiness = new ServiceReadiness(bus, resolvePort(container, PROCESSED_EVENT_STORE));
  const http = createHttpApp({
    publishEvent: container.resolve(PublishEvent),
    listProcessedEvents: container.resolve(ListProcessedEvents),
    getProcessedEvent: container.resolve(GetProcessedEvent),
    readiness: () => readiness.check(),
    settings: {
      maxBodyBytes: config.maxBodyBytes,
      apiKeys: config.apiKeys,
      eventTypes:
        config.eventTypes === undefined
          ? { kind: 'any' }
          : { kind: 'only', types: new Set(config.eventTypes) },
    },
    logger,
    metrics,
  });
  return new ServiceRuntime(container, http, bus, store, readiness, logger);
}
