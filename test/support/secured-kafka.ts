import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { testDependency } from './test-dependency';

const run = promisify(execFile);
const LOCAL_SCRIPT = resolve(__dirname, '../../scripts/kafka-local.sh');

/**
 * The secured brokers the tests start with the project's script, each a state folder and port of
 * its own: SASL_SSL (SCRAM and PLAIN users), mutual TLS, and one whose certificate a test chooses
 * (expired, of another host) by restarting it.
 */
const KINDS = {
  sasl_ssl: { security: 'sasl_ssl', port: 19392 },
  mtls: { security: 'ssl', port: 19792 },
  certificates: { security: 'sasl_ssl', port: 19396 },
} as const;
export type SecuredKind = keyof typeof KINDS;
export type BrokerCertificate = 'valid' | 'expired' | 'wrong-host';

const environmentOf = (kind: SecuredKind, certificate: BrokerCertificate = 'valid') => ({
  ...process.env,
  KAFKA_LOCAL_HOME: resolve(__dirname, `../../.cache/kafka-test-${kind}`),
  KAFKA_LOCAL_PORT: String(KINDS[kind].port),
  KAFKA_LOCAL_SECURITY: KINDS[kind].security,
  KAFKA_LOCAL_TLS_CERT: certificate,
});

/** The variables a client needs, from the script's last line: `NAME=value NAME=value …`. */
const variablesOf = (line: string): Record<string, string> =>
  Object.fromEntries(
    line
      .trim()
      .split(/\s+/)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );

async function script(
  kind: SecuredKind,
  args: readonly string[],
  certificate?: BrokerCertificate,
): Promise<string> {
  const { stdout } = await run('bash', [LOCAL_SCRIPT, ...args], {
    env: environmentOf(kind, certificate),
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim().split('\n').pop() ?? '';
}

interface SecuredBroker {
  readonly variables: Record<string, string>;
  readonly stop: () => Promise<void>;
}

const start = async (kind: SecuredKind): Promise<SecuredBroker> => ({
  variables: variablesOf(await script(kind, ['start'])),
  stop: async () => {
    await script(kind, ['stop']);
  },
});

const brokers = {
  sasl_ssl: testDependency(() => start('sasl_ssl')),
  mtls: testDependency(() => start('mtls')),
  certificates: testDependency(() => start('certificates')),
};

/**
 * The variables (KAFKA_BROKER, KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_…) of a client of the
 * secured broker `kind`, started on first use and shared by the run. Failing to start one fails
 * the calling test; nothing is skipped.
 */
export const securedKafka = (kind: SecuredKind): Promise<Record<string, string>> =>
  brokers[kind].get().then((broker) => broker.variables);

/** Creates a SASL user (SCRAM-SHA-256 and -512) on the SASL_SSL broker, as an operator would. */
export async function addKafkaUser(name: string, passwordFile: string): Promise<void> {
  await securedKafka('sasl_ssl');
  await script('sasl_ssl', ['add-user', name, passwordFile]);
}

/** Restarts the certificates broker presenting `certificate`; resolves with its variables. */
export async function presentCertificate(
  certificate: BrokerCertificate,
): Promise<Record<string, string>> {
  await securedKafka('certificates');
  await script('certificates', ['stop']);
  return variablesOf(await script('certificates', ['start'], certificate));
}

/** Stops every secured broker the tests started. */
export const releaseSecuredKafka = async (): Promise<void> => {
  await Promise.all(Object.values(brokers).map((broker) => broker.release()));
};
