import autocannon from 'autocannon';
import { version as autocannonVersion } from 'autocannon/package.json';

/** autocannon's name and version, as the results record the load generator. */
export const AUTOCANNON = `autocannon ${autocannonVersion}`;

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  /** Request bodies, sent in turn. */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections; none: as fast as the server answers. */
  readonly rate?: number;
}

/** What the load generator saw: responses answered within the load's time, and their latency. */
export interface LoadResult {
  readonly seconds: number;
  /**
   * Responses by status code, e.g. { "201": 12000 }; "errors" counts connection errors and
   * "timeouts" requests unanswered within 10 s.
   */
  readonly statuses: Readonly<Record<string, number>>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** When the load ended (Date.now()). */
  readonly endedAt: number;
  /** CPU the load generator used meanwhile (utime + stime), seconds and % of one core. */
  readonly generatorCpuSeconds: number;
  readonly generatorCpuPercent: number;
}

/**
 * POSTs JSON bodies with autocannon from this process for `seconds`. Each request's timeout is
 * 10 s, so a server that stops answering shows as errors instead of hanging the bench. Its CPU
 * is the bench process's own over the load, so whatever else the bench did meanwhile with it.
 */
export async function postLoad(options: LoadOptions): Promise<LoadResult> {
  const { url, path, bodies, connections, seconds, rate } = options;
  let next = 0;
  const cpuAtStart = process.cpuUsage();
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    ...(rate === undefined ? {} : { overallRate: rate }),
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = count ?? 0;
  }
  // autocannon's errors include its timeouts: counted apart, as wrk counts them.
  if (result.errors - result.timeouts > 0) statuses.errors = result.errors - result.timeouts;
  if (result.timeouts > 0) statuses.timeouts = result.timeouts;
  const usage = process.cpuUsage(cpuAtStart);
  const cpu = (usage.user + usage.system) / 1e6;
  return {
    generatorCpuSeconds: cpu,
    generatorCpuPercent: Math.round((100 * cpu) / result.duration),
    seconds: result.duration,
    statuses,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    endedAt: Date.now(),
  };
}

/** Responses with status 201 (accepted) per second. */
export const acceptedPerSecond = (load: LoadResult): number =>
  (load.statuses['201'] ?? 0) / load.seconds;
