import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup';
import type { LoadOptions, LoadResult } from './http-load';
import { cpuSecondsOfStat } from './process-usage';
import { runCommand } from './run-command';
import { wrkScript } from './wrk-script';

/** The JSON line the script's `done` prints. */
interface WrkSummary {
  readonly durationUs: number;
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly connectErrors: number;
  readonly readErrors: number;
  readonly writeErrors: number;
  readonly timeouts: number;
  readonly latencyUs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly statsAtStart: readonly string[];
  readonly statAtEnd: string;
}

// A request unanswered this long counts as a timeout, as under autocannon.
const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * POSTs `bodies` in turn with wrk, a process of its own (one thread, `--latency`), for
 * `seconds`: the load generator then takes its CPU apart from the bench's and far less of it
 * than autocannon. wrk has no rate option: `rate` is refused.
 */
export async function wrkLoad(
  wrk: string,
  options: LoadOptions,
  cleanup: Cleanup,
): Promise<LoadResult> {
  const { url, path, bodies, connections, seconds, rate } = options;
  if (rate !== undefined) throw new Error('wrk cannot hold a rate: use autocannon for this leg');
  const folder = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  try {
    const bodiesFile = join(folder, 'bodies.txt');
    const script = join(folder, 'post.lua');
    // One body a line: JSON.stringify never writes a raw newline, but a caller's text might.
    if (bodies.some((body) => body.includes('\n'))) throw new Error('a body holds a newline');
    writeFileSync(bodiesFile, `${bodies.join('\n')}\n`);
    writeFileSync(script, wrkScript(path, bodiesFile));
    let forget: () => void = () => undefined;
    const stdout = await runCommand(
      wrk,
      [
        '-t1',
        `-c${connections}`,
        `-d${seconds}s`,
        `--timeout`,
        `${REQUEST_TIMEOUT_SECONDS}s`,
        '--latency',
        '-s',
        script,
        url,
      ],
      {
        timeoutMs: (seconds + REQUEST_TIMEOUT_SECONDS + 30) * 1000,
        onStart: (pid) => {
          forget = cleanup.add(`stop wrk (PID ${pid})`, async () => {
            process.kill(pid, 'SIGKILL');
          });
        },
      },
    ).finally(() => forget());
    return loadResultOf(lastJsonLine(stdout));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function lastJsonLine(stdout: string): WrkSummary {
  const line = stdout
    .trimEnd()
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`);
  return JSON.parse(line) as WrkSummary;
}

function loadResultOf(summary: WrkSummary): LoadResult {
  const seconds = summary.durationUs / 1e6;
  const statuses: Record<string, number> = { ...summary.statuses };
  const errors = summary.connectErrors + summary.readErrors + summary.writeErrors;
  if (errors > 0) statuses.errors = errors;
  if (summary.timeouts > 0) statuses.timeouts = summary.timeouts;
  // Each thread read the whole process's figure; the first to be ready started the load.
  const atStart = Math.min(...summary.statsAtStart.map(cpuSecondsOfStat));
  const cpu = cpuSecondsOfStat(summary.statAtEnd) - atStart;
  const ms = (us: number): number => Number((us / 1000).toFixed(3));
  return {
    seconds,
    statuses,
    latencyMs: {
      p50: ms(summary.latencyUs.p50),
      p99: ms(summary.latencyUs.p99),
      max: ms(summary.latencyUs.max),
    },
    endedAt: Date.now(),
    generatorCpuSeconds: cpu,
    generatorCpuPercent: Math.round((100 * cpu) / seconds),
  };
}
