import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** `src/main.ts` as its own process, the way a user runs the service. */
export function spawnService(variables: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...variables },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code once the process ended. */
export const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));

/** Collects what the process writes to a stream. */
export function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}
