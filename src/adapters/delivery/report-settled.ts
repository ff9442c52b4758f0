import type { Logger } from 'pino';
import type { SettledOutcome } from '../../application/process-event';
import type { UserEvent } from '../../domain/user-event';
import type { EventSetbacks } from '../../application/event-setbacks.port';
import type { ServiceMetrics } from '../../application/service-metrics.port';

/**
 * Where a bus reports what happens to the events it delivers: a line in the log, the metrics,
 * and the setbacks, which keep what holds an event back for its status (and write it to the store).
 */
export interface DeliveryReports {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly setbacks: EventSetbacks;
}

/** Where a delivered event came from, as far as its bus knows (Kafka: all three). */
export interface DeliveredFrom {
  readonly partition?: number | undefined;
  readonly offset?: string | undefined;
  readonly requestId?: string | undefined;
}

const MESSAGES: Readonly<Record<SettledOutcome, string>> = {
  processed: 'event processed',
  duplicate: 'event duplicate',
  conflict: 'event conflicts with the processed one',
};

/** Seconds from an event's ISO timestamp until now; 0 for a timestamp in the future. */
const secondsSince = (timestamp: string, now = Date.now()): number =>
  Math.max(0, (now - Date.parse(timestamp)) / 1000);

/**
 * The one line and the metrics of a settled event, whichever bus delivered it: where it came
 * from (partition, offset, requestId), its id, the outcome and the latency since its timestamp
 * (at warn for a conflict). Never its payload. Called once per event on the hot path: the line
 * is one object literal of a fixed shape (a spread of `from` made pino's work twice as long,
 * measured).
 */
export function reportSettled(
  reports: DeliveryReports,
  event: UserEvent,
  outcome: SettledOutcome,
  from: DeliveredFrom,
): void {
  const latencySeconds = secondsSince(event.timestamp);
  reports.metrics.eventSettled(outcome, latencySeconds);
  const line = {
    partition: from.partition,
    offset: from.offset,
    requestId: from.requestId,
    eventId: event.eventId,
    outcome,
    latencyMs: Math.round(latencySeconds * 1000),
  };
  // A conflict is a client's mistake someone should look at; the others are the normal flow.
  if (outcome === 'conflict') reports.logger.warn(line, MESSAGES[outcome]);
  else reports.logger.info(line, MESSAGES[outcome]);
}
