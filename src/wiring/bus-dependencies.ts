import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import type { Tracer } from '@opentelemetry/api';
import { ProcessEvent } from '../application/process-event';
import { EVENT_SETBACKS } from '../application/event-setbacks.port';
import { SERVICE_METRICS } from '../application/service-metrics.port';
import type { BackoffPolicy } from '../adapters/shared/retry-with-backoff';
import type { DeliveryReports } from '../adapters/delivery/report-settled';
import { resolvePort } from './port-registry';

/** What the root gives every bus beside the container: how to log, retry and fail. */
export interface BusSettings {
  readonly logger: Logger;
  /** How a failed save to the store is retried while the delivery waits. */
  readonly storeRetries: BackoffPolicy;
  /** Called when delivery broke for good; the process should exit non-zero. */
  readonly onFatal: (error: Error) => void;
  /** Where the bus starts the spans of its events; none when tracing is off. */
  readonly tracer?: Tracer | undefined;
}

/** The use case and the reports every bus delivers to, from the container. */
export const deliveryOf = (
  container: DependencyContainer,
  logger: Logger,
): { readonly processEvent: ProcessEvent; readonly reports: DeliveryReports } => ({
  processEvent: container.resolve(ProcessEvent),
  reports: {
    logger,
    metrics: resolvePort(container, SERVICE_METRICS),
    setbacks: resolvePort(container, EVENT_SETBACKS),
  },
});
