import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Cleanup } from './cleanup';
import { COMPILED_DIR, PROFILES_DIR, ROOT, RUN_DIR, TSCONFIG } from './paths';
import { runCommand } from './run-command';
import { UsageMeter } from './process-usage';
import { within } from './waiting';

/** A TypeScript entry point the bench runs as a process of its own, stopped by its PID. */
export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  /** Its standard output and error, in .cache/bench-run/<name>.log. */
  readonly logPath: string;
  readonly usage: UsageMeter;
  /** Settles with the exit code (or signal) when the process ends, however it ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL if it has not exited within 20 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** The last lines it wrote, for error messages. */
  logTail(lines?: number): string;
}

/**
 * Compiles the whole project (src and scripts) into COMPILED_DIR, once, before any process, with
 * the console's page files beside the compiled src/, where the service reads them as it does in
 * dist/ (they are served as they are, not compiled).
 */
export async function compileProject(): Promise<void> {
  const tsc = resolve(ROOT, 'node_modules/.bin/tsc');
  await runCommand(tsc, ['-p', TSCONFIG, '--outDir', COMPILED_DIR], { timeoutMs: 300_000 });
  const pageFiles = resolve(COMPILED_DIR, 'src/console');
  rmSync(pageFiles, { recursive: true, force: true });
  symlinkSync(resolve(ROOT, 'src/console'), pageFiles, 'dir');
}

/**
 * Starts the compiled form of the TypeScript file `entry` in .cache/bench-run, so a developer's
 * `.env` in the repository root is not read: the process sees only PATH and `variables`. Its
 * output goes to a file, which costs it what stdout would in use. With BENCH_CPU_PROFILE=1 the
 * service's processes write a CPU profile to .cache/bench-profiles when they stop.
 * `nodeArguments` go to node before the entry point (e.g. `--expose-gc`, `-r <preload>`).
 */
export function spawnCompiled(
  name: string,
  entry: string,
  variables: Readonly<Record<string, string>>,
  cleanup: Cleanup,
  nodeArguments: readonly string[] = [],
): BenchProcess {
  mkdirSync(RUN_DIR, { recursive: true });
  const logPath = resolve(RUN_DIR, `${name}.log`);
  const output = openSync(logPath, 'w');
  const compiled = resolve(COMPILED_DIR, relative(ROOT, entry)).replace(/\.ts$/, '.js');
  const profile =
    process.env.BENCH_CPU_PROFILE === '1' && name.startsWith('service')
      ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [];
  const child = spawn(process.execPath, [...profile, ...nodeArguments, compiled], {
    cwd: RUN_DIR,
    env: { PATH: process.env.PATH ?? '', ...variables },
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${entry}`);
  let done = false;
  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolveExit(code ?? signal ?? 'unknown');
    }),
  );
  const stop = async (): Promise<void> => {
    if (done) return;
    child.kill('SIGTERM');
    await within(`${name} (PID ${pid}) stopping`, 20_000, exited).catch(() => {
      console.error(`${name} (PID ${pid}) ignored SIGTERM for 20 s: SIGKILL`);
      child.kill('SIGKILL');
      return exited;
    });
  };
  const forget = cleanup.add(`stop ${name} (PID ${pid})`, stop);
  return {
    name,
    pid,
    logPath,
    usage: new UsageMeter(pid),
    exited,
    stop: async () => {
      await stop();
      forget();
    },
    logTail: (lines = 20) =>
      readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'),
  };
}

/** `work`, unless the process exits first: then a rejection with the end of its output. */
export function whileAlive<T>(process: BenchProcess, work: Promise<T>): Promise<T> {
  const died = process.exited.then((code): never => {
    throw new Error(
      `${process.name} (PID ${process.pid}) exited with ${code}; its last lines:\n${process.logTail()}`,
    );
  });
  return Promise.race([work, died]);
}

/** A process's peak resident set and CPU over its whole life, as the results list them. */
export interface LifetimeUsage {
  readonly name: string;
  readonly peakRssMb: number;
  readonly cpuSeconds: number;
}

/**
 * Records each process's lifetime usage into `usages`, stops them all and deletes their logs
 * (hundreds of MB after a full run; kept only when the run failed, for its post-mortem).
 */
export async function retire(
  started: readonly BenchProcess[],
  usages: LifetimeUsage[],
): Promise<void> {
  for (const one of started) {
    usages.push({
      name: one.name,
      peakRssMb: one.usage.lifetimePeakRssMb(),
      cpuSeconds: one.usage.lifetimeCpuSeconds(),
    });
  }
  await Promise.all(started.map((one) => one.stop()));
  for (const one of started) rmSync(one.logPath, { force: true });
}
