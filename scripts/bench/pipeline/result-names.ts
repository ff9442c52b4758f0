import type { BenchResults } from './results';

/**
 * The file names of a run: timestamped, and `latest` (quick runs apart, never committed); a
 * client other than the default is named, so that a run on each client keeps both.
 */
export function resultNames(
  results: Pick<BenchResults, 'mode' | 'startedAt'> & { readonly client?: string },
): { stamped: string; latest: string } {
  const client =
    results.client === undefined || results.client === 'kafkajs' ? '' : `-${results.client}`;
  const suffix = `${client}${results.mode === 'quick' ? '-quick' : ''}`;
  const stamp = results.startedAt.slice(0, 19).replace(/:/g, '-');
  return { stamped: `${stamp}${suffix}`, latest: `latest${suffix}` };
}
