import * as E from 'fp-ts/Either';
import { readFileSync } from 'node:fs';

/**
 * The variables that hold secrets: each may come from a file named by `<NAME>_FILE` instead, as
 * Docker and Kubernetes mount secrets.
 */
export const SECRET_VARIABLES = [
  'KAFKA_SASL_PASSWORD',
  'API_KEYS',
  'READ_API_KEYS',
  'METRICS_TOKEN',
  'DATABASE_URL',
] as const;

/** Reads a file the configuration names (a secret, a certificate) as text; throws when it cannot. */
export type ReadConfigFile = (path: string) => string;

export const readConfigFile: ReadConfigFile = (path) => readFileSync(path, 'utf8');

/**
 * The environment with each `<NAME>_FILE` replaced by the file's text as `<NAME>`. The error
 * names the variable, the path and the reason, never the contents.
 */
export function withSecretFiles(
  env: Readonly<Record<string, string | undefined>>,
  read: ReadConfigFile,
): E.Either<string, Readonly<Record<string, string | undefined>>> {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_VARIABLES) {
    const path = env[`${name}_FILE`]?.trim();
    if (path === undefined || path === '') continue;
    if ((env[name] ?? '') !== '') return E.left(`${name} and ${name}_FILE are both set; set one`);
    const text = fileText(`${name}_FILE`, path, read);
    if (E.isLeft(text)) return text;
    // `echo secret > file` ends the file with a newline that is not part of the secret.
    resolved[name] = text.right.replace(/\r?\n$/, '');
  }
  return E.right(resolved);
}

/** The text of the file `variable` names, or one line saying why it cannot be read. */
export function fileText(
  variable: string,
  path: string,
  read: ReadConfigFile,
): E.Either<string, string> {
  try {
    return E.right(read(path));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return E.left(
      `${variable} names ${path}, which cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
}
