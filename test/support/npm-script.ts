import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  /** Without npm's own warnings about the user's npmrc: only the command's lines are tested. */
  readonly stderr: string;
}

const withoutNpmNotices = (text: string): string => text.replace(/^npm warn .*\n/gm, '');

/**
 * `npm run <script> -- <args>` as an operator runs it, with these variables and nothing else of
 * the test's environment but PATH and HOME. Resolves with the exit code, whatever it is.
 */
export function npmScript(
  script: string,
  args: readonly string[],
  variables: Record<string, string>,
): Promise<ScriptRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...variables };
  return run('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env,
    timeout: 90_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr: withoutNpmNotices(stderr) }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: withoutNpmNotices(error.stderr),
    }),
  );
}
