import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { ROOT } from './paths';
import type { Machine } from './results';

/** The commit measured, with "-dirty" when the work tree has changes. */
export function currentCommit(): string {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '-dirty' : ''}`;
}

/** The machine, the versions measured, and `loadGenerator`'s name (wrk, or autocannon and why). */
export async function describeMachine(
  kafka: string,
  databaseUrl: string,
  loadGenerator: string,
): Promise<Machine> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    kafka,
    postgres: `PostgreSQL ${rows[0]?.server_version ?? 'unknown'}`,
    loadGenerator,
  };
}
