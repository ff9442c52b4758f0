import { spawn } from 'node:child_process';
import { ROOT } from './paths';

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** Called with the PID at once, so that an interrupted run can stop the command by it. */
  readonly onStart?: (pid: number) => void;
}

/**
 * Runs a command to its end and resolves with its standard output; its standard error goes to
 * the bench's, so progress (Maven, the broker script) shows. Rejects on a non-zero exit, and
 * kills the command (by its PID) when it outlasts `timeoutMs`.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.pid !== undefined) options.onStart?.(child.pid);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} ${args.join(' ')}: still running after ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}
