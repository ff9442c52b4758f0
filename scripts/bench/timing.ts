import { performance } from 'node:perf_hooks';

export interface Timings {
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface Comparison {
  readonly current: Timings;
  readonly naive: Timings;
}

type Work = () => Promise<unknown>;

/**
 * Times `current` and `naive` `runs` times each after `warmUp` untimed rounds, interleaved in one
 * loop: on a shared, noisy machine both see the same load, so their ratio means more than either
 * figure alone.
 */
export async function compare(
  current: Work,
  naive: Work,
  runs: number,
  warmUp: number,
): Promise<Comparison> {
  for (let round = 0; round < warmUp; round += 1) {
    await current();
    await naive();
  }
  const currentMs: number[] = [];
  const naiveMs: number[] = [];
  for (let round = 0; round < runs; round += 1) {
    // Taking turns at going first spreads any advantage of going second (a warmer cache) evenly.
    if (round % 2 === 0) {
      currentMs.push(await timeOnce(current));
      naiveMs.push(await timeOnce(naive));
    } else {
      naiveMs.push(await timeOnce(naive));
      currentMs.push(await timeOnce(current));
    }
  }
  return { current: summarise(currentMs), naive: summarise(naiveMs) };
}

async function timeOnce(work: Work): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function summarise(samples: readonly number[]): Timings {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}
