import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** The service's "event processed" log lines (one per first-time processed event), in a range. */
export interface ProcessedLines {
  readonly count: number;
  /** `time` of the first and the last line, ms since the epoch (the service's clock). */
  readonly firstAt: number;
  readonly lastAt: number;
  /** Each line's `latencyMs`: from the event's timestamp (set on POST) until it was processed. */
  readonly latenciesMs: number[];
}

interface ProcessedLine {
  readonly time: number;
  readonly latencyMs: number;
}

/** The size of the log now: lines written after this are read with `processedLinesIn(path, size)`. */
export const logSize = (path: string): number => statSync(path).size;

/** Reads the service's JSON log lines from byte `from` on and keeps the processed events'. */
export async function processedLinesIn(path: string, from = 0): Promise<ProcessedLines> {
  const lines = createInterface({ input: createReadStream(path, { start: from }) });
  let count = 0;
  let firstAt = Infinity;
  let lastAt = -Infinity;
  const latenciesMs: number[] = [];
  for await (const text of lines) {
    // A cheap test first: most lines (requests, duplicates) are not wanted.
    if (!text.includes('"msg":"event processed"')) continue;
    const line = parsed(text);
    if (line === undefined) continue;
    count += 1;
    firstAt = Math.min(firstAt, line.time);
    lastAt = Math.max(lastAt, line.time);
    latenciesMs.push(line.latencyMs);
  }
  return { count, firstAt, lastAt, latenciesMs };
}

function parsed(text: string): ProcessedLine | undefined {
  try {
    const line = JSON.parse(text) as Partial<Record<string, unknown>>;
    return typeof line.time === 'number' && typeof line.latencyMs === 'number'
      ? { time: line.time, latencyMs: line.latencyMs }
      : undefined;
  } catch {
    return undefined; // a line cut off by a killed process
  }
}
