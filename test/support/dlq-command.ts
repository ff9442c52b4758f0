import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

/** Runs `npm run dlq -- <args>` as a user would, and returns its standard output. */
export async function dlqCommand(
  args: readonly string[],
  variables: Record<string, string>,
): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', 'dlq', '--', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...variables },
    timeout: 90_000,
  });
  return stdout;
}
