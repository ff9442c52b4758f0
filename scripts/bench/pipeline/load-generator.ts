import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Cleanup } from './cleanup';
import { AUTOCANNON, postLoad, type LoadOptions, type LoadResult } from './http-load';
import { wrkLoad } from './wrk-load';

/** What sends the HTTP load of a leg, and the name the results record for it. */
export interface LoadGenerator {
  /** e.g. "wrk debian/4.1.0-3+b2, 1 thread" or "autocannon 9.0.0 (wrk not found)" */
  readonly name: string;
  /** Whether it can send at a given rate (`LoadOptions.rate`); wrk cannot. */
  readonly holdsRate: boolean;
  post(options: LoadOptions): Promise<LoadResult>;
}

/** autocannon in the bench process: the fallback, and the rate-limited leg's generator. */
export const autocannonGenerator = (why?: string): LoadGenerator => ({
  name: why === undefined ? AUTOCANNON : `${AUTOCANNON} (${why})`,
  holdsRate: true,
  post: postLoad,
});

/**
 * wrk when it is on PATH (or autocannon when BENCH_LOAD_GENERATOR=autocannon asks for it): wrk
 * runs as a process of its own and costs about half autocannon's CPU per request, which the
 * servers it loads would otherwise not get of the two cores. Without wrk the bench says once
 * how to install it and measures with autocannon, under a name that says so.
 */
export function chooseLoadGenerator(cleanup: Cleanup): LoadGenerator {
  if (process.env.BENCH_LOAD_GENERATOR === 'autocannon') return autocannonGenerator('asked for');
  const wrk = onPath('wrk');
  if (wrk === undefined) {
    console.error(
      'wrk is not on PATH: the HTTP legs use autocannon, inside the bench process, instead. ' +
        'Install wrk (Debian/Ubuntu: sudo apt-get install wrk) for loads from a process of their own.',
    );
    return autocannonGenerator('wrk not found');
  }
  return {
    name: `${wrkVersion(wrk)}, 1 thread`,
    holdsRate: false,
    post: (options) => wrkLoad(wrk, options, cleanup),
  };
}

function onPath(command: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: the next folder.
    }
  }
  return undefined;
}

/** "wrk debian/4.1.0-3+b2" from `wrk -v`, which prints it first and exits with 1. */
function wrkVersion(wrk: string): string {
  const output = spawnSync(wrk, ['-v'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  return /^wrk \S+/.exec(output)?.[0] ?? 'wrk (version unknown)';
}
