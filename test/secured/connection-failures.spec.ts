import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturedLogger } from '../support/captured-logs';
import { KAFKA_CLIENTS, type KafkaClientName } from '../support/kafka-clients';
import { postJson, runService, type RunningService } from '../support/running-service';
import {
  addKafkaUser,
  presentCertificate,
  securedKafka,
  type BrokerCertificate,
} from '../support/secured-kafka';
import { eventually } from '../support/eventually';
import { kafkaBrokers } from '../support/kafka-broker';
import { unique } from '../support/unique';
import { seedLoginBody } from '../support/builders';

type Variables = Record<string, string | undefined>;

/** The service on `variables`, with every line it logs (debug included) kept for the test. */
async function serviceOn(client: KafkaClientName, variables: Variables) {
  const { logger, lines } = capturedLogger({ level: 'debug' });
  const defined = Object.fromEntries(
    Object.entries(variables).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const app = await runService(
    {
      ...defined,
      EVENT_BUS: 'kafka',
      KAFKA_CLIENT: client,
      KAFKA_TOPIC: unique('refused'),
      KAFKA_CLIENT_ID: unique('svc'),
    },
    undefined,
    logger,
  );
  return { app, lines };
}

interface Readiness {
  readonly status: string;
  readonly causes?: readonly string[];
}

const readinessOf = async (app: RunningService): Promise<Readiness> =>
  (await fetch(`${app.url}/health/ready`)).json() as Promise<Readiness>;

/**
 * What an operator sees of a connection the broker refuses: readiness names `cause`, a POST is
 * answered 503, the cause is logged at error once however often it is retried, and the process
 * goes on (no crash loop).
 */
async function expectRefused(client: KafkaClientName, variables: Variables, cause: string) {
  const { app, lines } = await serviceOn(client, variables);
  try {
    await eventually(
      `readiness on ${client} naming ${cause}`,
      async () => ((await readinessOf(app)).causes?.includes(cause) === true ? true : undefined),
      30_000,
    );
    expect(await readinessOf(app), client).to.deep.include({
      status: 'not ready',
      causes: [cause],
    });
    const posted = await postJson(`${app.url}/events/generate`, seedLoginBody());
    expect(posted.status, client).to.equal(503);
    // Two more attempts at least, each said at debug only.
    const retried = (): number => lines().filter((line) => line.trouble === cause).length;
    await eventually(
      `two more attempts on ${client}`,
      () => (retried() >= 3 ? true : undefined),
      30_000,
    );
    const errors = lines().filter((line) => Number(line.level) >= 50);
    expect(
      errors.map((line) => line.trouble),
      `${client}'s error lines: ${JSON.stringify(errors.map((line) => line.error))}`,
    ).to.deep.equal([cause]);
    expect((await fetch(`${app.url}/health/live`)).status).to.equal(200);
    if (variables.KAFKA_SASL_PASSWORD !== undefined)
      expect(JSON.stringify(lines())).not.to.include(variables.KAFKA_SASL_PASSWORD);
  } finally {
    await app.stop();
  }
}

/** The same refusal on every client library at once, each with a service of its own. */
const refusedOnEveryClient = async (variables: Variables, cause: string): Promise<void> => {
  await Promise.all(KAFKA_CLIENTS.map((client) => expectRefused(client, variables, cause)));
};

/** A service whose SASL user does not exist yet, on `client`, with that user's password file. */
async function serviceOfLateUser(client: KafkaClientName) {
  const username = unique(`late-${client}`);
  const passwordFile = join(tmpdir(), `${username}.password`);
  writeFileSync(passwordFile, `${unique('password')}\n`, { mode: 0o600 });
  const service = await serviceOn(client, {
    ...(await securedKafka('sasl_ssl')),
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
  });
  return { ...service, client, username, passwordFile };
}

// Each cause on both clients at once: they wait on the same retries, not on each other.
describe('a secured broker that refuses the service, on kafkajs and librdkafka', function () {
  this.timeout(180_000);

  it('a wrong password: kafka: authentication failed', async () => {
    const variables: Variables = { ...(await securedKafka('sasl_ssl')) };
    delete variables.KAFKA_SASL_PASSWORD_FILE;
    variables.KAFKA_SASL_PASSWORD = 'not-the-password';
    await refusedOnEveryClient(variables, 'kafka: authentication failed');
  });

  it('an unknown CA: kafka: certificate not trusted', async () => {
    const variables: Variables = { ...(await securedKafka('sasl_ssl')) };
    delete variables.KAFKA_SSL_CA_FILE;
    await refusedOnEveryClient(variables, 'kafka: certificate not trusted');
  });

  it('a plaintext client on the TLS listener: the connection closed by the broker', async () => {
    const { KAFKA_BROKER } = await securedKafka('sasl_ssl');
    await refusedOnEveryClient(
      { KAFKA_BROKER },
      'kafka: connection closed by the broker (does the listener expect TLS or SASL?)',
    );
  });

  it('TLS on a plaintext listener: the TLS handshake failed', async () => {
    const KAFKA_BROKER = (await kafkaBrokers()).join(',');
    await refusedOnEveryClient(
      { KAFKA_BROKER, KAFKA_SSL: 'true' },
      'kafka: TLS handshake failed (is the listener plaintext?)',
    );
  });

  it('no client certificate for mutual TLS: kafka: client certificate refused', async () => {
    const variables: Variables = { ...(await securedKafka('mtls')) };
    delete variables.KAFKA_SSL_CERT_FILE;
    delete variables.KAFKA_SSL_KEY_FILE;
    await refusedOnEveryClient(variables, 'kafka: client certificate refused');
  });

  const certificates: readonly [BrokerCertificate, string][] = [
    ['expired', 'kafka: certificate expired'],
    ['wrong-host', "kafka: certificate does not name the broker's host"],
  ];
  for (const [certificate, cause] of certificates)
    it(`a broker certificate ${certificate}: ${cause}`, async () => {
      await refusedOnEveryClient(await presentCertificate(certificate), cause);
    });

  it('recovers by itself once its user is created', async () => {
    const services = await Promise.all(KAFKA_CLIENTS.map(serviceOfLateUser));
    try {
      for (const { app, client } of services) {
        await eventually(
          `readiness on ${client} naming the failed authentication`,
          async () => ((await readinessOf(app)).causes !== undefined ? true : undefined),
          30_000,
        );
        expect((await readinessOf(app)).causes, client).to.deep.equal([
          'kafka: authentication failed',
        ]);
      }
      // One after the other: the script's user commands share its files.
      for (const { username, passwordFile } of services) await addKafkaUser(username, passwordFile);
      for (const { app, client, lines } of services) {
        await eventually(
          `the service on ${client} ready`,
          async () => ((await readinessOf(app)).status === 'ready' ? true : undefined),
          60_000,
        );
        expect(await readinessOf(app), client).not.to.have.property('causes');
        const posted = await postJson(`${app.url}/events/generate`, seedLoginBody());
        expect(posted.status, client).to.equal(201);
        expect(
          lines().map((line) => line.msg),
          client,
        ).to.include('kafka: connected again');
      }
    } finally {
      await Promise.all(services.map(({ app }) => app.stop()));
    }
  });
});
