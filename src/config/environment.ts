import { existsSync } from 'node:fs';
import type { Either } from 'fp-ts/Either';
import { parseConfig, type Config } from './config';

/**
 * The process environment, with `.env` from the working directory underneath it when present.
 * The only place that reads `process.env`: everything else is given the decoded configuration.
 */
export function readEnvironment(): Readonly<Record<string, string | undefined>> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return { ...process.env };
}

/** The configuration of this process: its environment (and `.env`), decoded. */
export const configFromEnvironment = (): Either<string, Config> => parseConfig(readEnvironment());
