export interface EventOutcome {
  readonly eventId: string;
  readonly outcome: string;
}

/** The JSON log lines in what the service process wrote to stdout. */
export const logLines = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split('\n').flatMap(parsedLine);

/** The "event processed" and "event duplicate" lines in what the service wrote to stdout. */
export const eventOutcomes = (stdout: string): EventOutcome[] =>
  logLines(stdout).flatMap((line) =>
    typeof line.eventId === 'string' && typeof line.outcome === 'string'
      ? [{ eventId: line.eventId, outcome: line.outcome }]
      : [],
  );

// A process killed mid-write may leave its last line cut off: that line is not a log entry.
function parsedLine(text: string): Array<Record<string, unknown>> {
  if (!text.startsWith('{') || !text.endsWith('}')) return [];
  try {
    return [JSON.parse(text) as Record<string, unknown>];
  } catch {
    return [];
  }
}
