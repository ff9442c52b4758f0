import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cleanup } from './cleanup';
import { RUN_DIR, TS_NODE_REGISTER, TSCONFIG } from './paths';
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
 * Starts `entry` with ts-node (transpile-only, as `npm run` scripts do) in .cache/bench-run, so a
 * developer's `.env` in the repository root is not read: the process sees only PATH, ts-node's
 * project and `variables`. Its output goes to a file, which costs it what stdout would in use.
 */
export function spawnTypeScript(
  name: string,
  entry: string,
  variables: Readonly<Record<string, string>>,
  cleanup: Cleanup,
): BenchProcess {
  mkdirSync(RUN_DIR, { recursive: true });
  const logPath = resolve(RUN_DIR, `${name}.log`);
  const output = openSync(logPath, 'w');
  const child = spawn(process.execPath, ['-r', TS_NODE_REGISTER, entry], {
    cwd: RUN_DIR,
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: TSCONFIG, ...variables },
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
