import { appendFileSync } from 'node:fs';

// The soak's probe, preloaded into the service (`node --expose-gc -r <this, compiled>`), never
// part of it: every SOAK_MEMORY_PROBE_INTERVAL_MS (default 10 s) a full collection, then one
// JSON line {"time", "heapUsed", "gcMs"} appended to SOAK_MEMORY_PROBE_FILE. heapUsed right after
// a full collection is the heap that is live; between collections it counts garbage too.
const file = process.env.SOAK_MEMORY_PROBE_FILE;
const intervalMs = Number(process.env.SOAK_MEMORY_PROBE_INTERVAL_MS ?? '10000');
const collect = globalThis.gc;
if (file === undefined || file === '')
  throw new Error('memory probe: SOAK_MEMORY_PROBE_FILE unset');
if (collect === undefined) throw new Error('memory probe: node needs --expose-gc');

const sample = (): void => {
  const startedAt = performance.now();
  collect();
  const gcMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const line = { time: Date.now(), heapUsed: process.memoryUsage().heapUsed, gcMs };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
};
// unref: the probe never keeps the service from exiting.
setInterval(sample, intervalMs).unref();
sample();
