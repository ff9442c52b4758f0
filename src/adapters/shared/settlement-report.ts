import type { Logger } from 'pino';
import type { ProcessOutcome } from '../../application/process-event';
import type { UserEvent } from '../../domain/user-event';
import { secondsSince, type ServiceMetrics } from './service-metrics';

/** Where a bus reports what happened to the events it delivers. */
export interface EventObservers {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/**
 * The one line and the metrics of a settled event, whichever bus delivered it: where it came
 * from (partition, offset, requestId), its id, the outcome and the latency since its timestamp.
 * Never its payload.
 */
export function reportSettled(
  observers: EventObservers,
  event: UserEvent,
  outcome: ProcessOutcome,
  where: Readonly<Record<string, unknown>> = {},
): void {
  const latencySeconds = secondsSince(event.timestamp);
  observers.metrics.eventSettled(outcome, latencySeconds);
  observers.logger.info(
    { ...where, eventId: event.eventId, outcome, latencyMs: Math.round(latencySeconds * 1000) },
    `event ${outcome}`,
  );
}
