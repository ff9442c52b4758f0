import { readFileSync } from 'node:fs';
import { rounded } from '../bench/pipeline/stats';
import type { MemoryPoint } from './slope';

/** What the memory probe (memory-probe.ts) wrote over the soak. */
export interface ProbeLines {
  /** heapUsed right after each forced full collection, MB. */
  readonly liveHeap: MemoryPoint[];
  /** How long each of those collections held the service, ms: part of its latency. */
  readonly gcPausesMs: number[];
}

interface ProbeLine {
  readonly time: number;
  readonly heapUsed: number;
  readonly gcMs: number;
}

/** The probe's lines from `from` to `to` (Date.now()), times made seconds since `from`. */
export function probeLines(file: string, from: number, to: number): ProbeLines {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text): ProbeLine[] => {
      try {
        const line = JSON.parse(text) as ProbeLine;
        return line.time >= from && line.time <= to ? [line] : [];
      } catch {
        return []; // the empty last line, or one cut off by a killed process
      }
    });
  return {
    liveHeap: lines.map(({ time, heapUsed }) => ({
      atSeconds: rounded((time - from) / 1000, 1),
      mb: rounded(heapUsed / 2 ** 20, 1),
    })),
    gcPausesMs: lines.map(({ gcMs }) => gcMs),
  };
}
