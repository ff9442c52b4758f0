export interface EventOutcome {
  readonly eventId: string;
  readonly outcome: string;
}

/** The JSON log lines in what the service process wrote to stdout. */
export const logLines = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split('\n').flatMap(parsedLine);

/** The "event processed" and "event duplicate" lines among log lines. */
export const outcomesIn = (lines: ReadonlyArray<Record<string, unknown>>): EventOutcome[] =>
  lines.flatMap((line) =>
    typeof line.eventId === 'string' && typeof line.outcome === 'string'
      ? [{ eventId: line.eventId, outcome: line.outcome }]
      : [],
  );

/** The "event processed" and "event duplicate" lines in what the service wrote to stdout. */
export const eventOutcomes = (stdout: string): EventOutcome[] => outcomesIn(logLines(stdout));

/**
 * How many times each event was processed (not found to be a duplicate): a multiset, so that an
 * event processed twice shows as a 2 rather than disappearing into a set.
 */
export function timesProcessed(outcomes: readonly EventOutcome[]): Map<string, number> {
  const times = new Map<string, number>();
  for (const { eventId, outcome } of outcomes) {
    if (outcome === 'processed') times.set(eventId, (times.get(eventId) ?? 0) + 1);
  }
  return times;
}

/** The events processed more than once, with how often; empty when exactly-once held. */
export const processedTwice = (times: ReadonlyMap<string, number>): Array<[string, number]> =>
  [...times].filter(([, count]) => count > 1);

// A process killed mid-write may leave its last line cut off: that line is not a log entry.
function parsedLine(text: string): Array<Record<string, unknown>> {
  if (!text.startsWith('{') || !text.endsWith('}')) return [];
  try {
    return [JSON.parse(text) as Record<string, unknown>];
  } catch {
    return [];
  }
}
