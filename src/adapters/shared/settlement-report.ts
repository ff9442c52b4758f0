import type { Logger } from 'pino';
import type { SettledOutcome } from '../../application/process-event';
import type { UserEvent } from '../../domain/user-event';
import type { EventSetbacks } from '../../application/event-setbacks.port';
import { secondsSince, type ServiceMetrics } from './service-metrics';

/** Where a bus reports what happened to the events it delivers. */
export interface EventObservers {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly setbacks: EventSetbacks;
}

/** Where a delivered event came from, as far as its bus knows (Kafka: all three). */
export interface DeliveredFrom {
  readonly partition?: number;
  readonly offset?: string;
  readonly requestId?: string | undefined;
}

const MESSAGES: Readonly<Record<SettledOutcome, string>> = {
  processed: 'event processed',
  duplicate: 'event duplicate',
  conflict: 'event conflicts with the processed one',
};

/**
 * The one line and the metrics of a settled event, whichever bus delivered it: where it came
 * from (partition, offset, requestId), its id, the outcome and the latency since its timestamp
 * (at warn for a conflict). Never its payload. Called once per event on the hot path: the line is one object literal of a
 * fixed shape (a spread of `from` made pino's work twice as long, measured).
 */
export function reportSettled(
  observers: EventObservers,
  event: UserEvent,
  outcome: SettledOutcome,
  from: DeliveredFrom = {},
): void {
  const latencySeconds = secondsSince(event.timestamp);
  observers.metrics.eventSettled(outcome, latencySeconds);
  const line = {
    partition: from.partition,
    offset: from.offset,
    requestId: from.requestId,
    eventId: event.eventId,
    outcome,
    latencyMs: Math.round(latencySeconds * 1000),
  };
  // A conflict is a client's mistake someone should look at; the others are the normal flow.
  if (outcome === 'conflict') observers.logger.warn(line, MESSAGES[outcome]);
  else observers.logger.info(line, MESSAGES[outcome]);
}
