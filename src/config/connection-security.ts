import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { fileText, type ReadConfigFile } from './secret-files';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** The decoded variables of the Kafka connection's security. */
export interface KafkaSecurityVariables {
  readonly KAFKA_SSL: 'true' | 'false';
  readonly KAFKA_SSL_CA_FILE: string | undefined;
  readonly KAFKA_SSL_CERT_FILE: string | undefined;
  readonly KAFKA_SSL_KEY_FILE: string | undefined;
  readonly KAFKA_SASL_MECHANISM: (typeof SASL_MECHANISMS)[number] | undefined;
  readonly KAFKA_SASL_USERNAME: string | undefined;
  readonly KAFKA_SASL_PASSWORD: string | undefined;
}

/**
 * TLS (with the PEM text of the files named, read once at start-up) and SASL, as every Kafka
 * client of the service connects; the two are independent, as Kafka's security protocols are.
 */
export function kafkaSecurityOf(env: KafkaSecurityVariables, read: ReadConfigFile) {
  return pipe(
    E.Do,
    E.bind('tls', () => kafkaTlsOf(env, read)),
    E.bind('sasl', () => kafkaSaslOf(env)),
  );
}

function kafkaTlsOf(env: KafkaSecurityVariables, read: ReadConfigFile) {
  const files = {
    ca: ['KAFKA_SSL_CA_FILE', env.KAFKA_SSL_CA_FILE],
    cert: ['KAFKA_SSL_CERT_FILE', env.KAFKA_SSL_CERT_FILE],
    key: ['KAFKA_SSL_KEY_FILE', env.KAFKA_SSL_KEY_FILE],
  } as const;
  if (env.KAFKA_SSL === 'false') {
    const stray = Object.values(files).find(([, path]) => path !== undefined);
    return stray === undefined
      ? E.right(undefined)
      : E.left(`${stray[0]} needs KAFKA_SSL=true: without it the connection is not encrypted`);
  }
  if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined))
    return E.left('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: set both or neither');
  return pipe(
    E.Do,
    E.bind('ca', () => optionalFile(files.ca, read)),
    E.bind('cert', () => optionalFile(files.cert, read)),
    E.bind('key', () => optionalFile(files.key, read)),
  );
}

function kafkaSaslOf(env: KafkaSecurityVariables) {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = env;
  const password = env.KAFKA_SASL_PASSWORD;
  if (mechanism === undefined)
    return username === undefined && password === undefined
      ? E.right(undefined)
      : E.left('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM');
  if (username === undefined || password === undefined)
    return E.left(
      'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or _FILE)',
    );
  return E.right({ mechanism, username, password });
}

const optionalFile = (
  [variable, path]: readonly [string, string | undefined],
  read: ReadConfigFile,
): E.Either<string, string | undefined> =>
  path === undefined ? E.right(undefined) : fileText(variable, path, read);

/** libpq's modes that the service honours; allow and prefer fall back to plaintext unseen. */
export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
// node-postgres' own readings of these would override the mode; one way for every deployment.
const NOT_READ: Readonly<Record<string, string>> = {
  ssl: 'sslmode',
  sslrootcert: 'DATABASE_SSL_CA_FILE',
  sslcert: 'DATABASE_SSL_CA_FILE (client certificates are not supported)',
  sslkey: 'DATABASE_SSL_CA_FILE (client certificates are not supported)',
  sslpassword: 'DATABASE_SSL_CA_FILE (client certificates are not supported)',
};

/**
 * The database's URL without its TLS parameters, and how TLS is used: as libpq reads `sslmode`
 * (require verifies the CA once a CA file is given, as libpq does with a root certificate).
 * node-postgres reads `require` as `verify-full`, so the mode is taken out of the URL here.
 * No message repeats the URL: it may hold the password.
 */
export function databaseOf(url: string, caFile: string | undefined, read: ReadConfigFile) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return E.left('DATABASE_URL must be a postgres:// URL');
  }
  const mode = parsed.searchParams.get('sslmode') ?? 'disable';
  if (!(DATABASE_SSL_MODES as readonly string[]).includes(mode))
    return E.left(`DATABASE_URL's sslmode must be one of ${DATABASE_SSL_MODES.join(', ')}`);
  const notRead = Object.keys(NOT_READ).find((name) => parsed.searchParams.has(name));
  if (notRead !== undefined)
    return E.left(`DATABASE_URL's ${notRead} is not read; use ${NOT_READ[notRead]}`);
  if (caFile !== undefined && mode === 'disable')
    return E.left(
      'DATABASE_SSL_CA_FILE needs sslmode=require, verify-ca or verify-full in DATABASE_URL',
    );
  parsed.searchParams.delete('sslmode');
  return pipe(
    optionalFile(['DATABASE_SSL_CA_FILE', caFile], read),
    E.map((ca) => ({ url: parsed.toString(), tls: databaseTlsOf(mode, ca) })),
  );
}

function databaseTlsOf(mode: string, ca: string | undefined) {
  if (mode === 'disable') return undefined;
  const verify =
    mode === 'verify-full' ? 'full' : mode === 'verify-ca' || ca !== undefined ? 'ca' : 'none';
  return { verify, ca } as const;
}
