import { setFlagsFromString } from 'node:v8';

// V8 grows its heap by a factor it picks from its own GC and allocation speeds, up to 4× the size
// that survived the last full collection, and a machine of 24 GB lets it. Under a high allocation
// rate (every request and record allocates, almost all of it short-lived) that is how the service
// reached 509 MB of RSS under 1,024 connections with about 65 MB live. Growing by at most half
// instead held the same load to 248 MB at the same throughput (docs/performance.md, "Memory").
// V8 reads the factor at each full collection, so setting it once the process runs takes effect.
const HEAP_GROWING_PERCENT = 50;

/** Keeps the heap within half again of what is live, unless node was started with its own factor. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
