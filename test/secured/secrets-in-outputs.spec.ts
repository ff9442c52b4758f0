import { expect } from 'chai';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, exitOf, spawnService } from '../support/service-process';
import { securedKafka } from '../support/secured-kafka';
import { postgresTlsCa } from '../support/postgres-database';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { unique } from '../support/unique';
import { seedLoginBody } from '../support/builders';
import { npmScript } from '../support/npm-script';
import { postJson } from '../support/running-service';

const WRITE_KEY = `write-${unique('key')}-0123456789`;
const READ_KEY = `read-${unique('key')}-0123456789`;
const METRICS_TOKEN = `metrics-${unique('token')}-0123456789`;
const DATABASE_PASSWORD = `db-${unique('password')}`;

/**
 * One whole run of the service as a process, every secret given as a file, on a secured broker
 * and PostgreSQL over TLS: no secret may show in anything it writes or answers.
 */
describe('secrets given as files, through a whole run', function () {
  this.timeout(180_000);
  let schema: TestSchema;
  let variables: Record<string, string>;
  let saslPassword: string;
  const outputs: string[] = [];

  before(async () => {
    schema = await freshSchema('secrets');
    const broker = await securedKafka('sasl_ssl');
    saslPassword = readFileSync(broker.KAFKA_SASL_PASSWORD_FILE ?? '', 'utf8').trim();
    const folder = mkdtempSync(join(tmpdir(), 'secrets-'));
    const secretFile = (name: string, text: string) => {
      writeFileSync(join(folder, name), `${text}\n`, { mode: 0o600 });
      return join(folder, name);
    };
    // Trust authentication on the local server: the password is sent and not needed.
    const url = new URL(schema.url);
    url.password = DATABASE_PASSWORD;
    url.searchParams.set('sslmode', 'verify-full');
    variables = {
      ...broker,
      KAFKA_TOPIC: unique('secrets'),
      KAFKA_CLIENT_ID: unique('svc'),
      STORE: 'postgres',
      DATABASE_URL_FILE: secretFile('database-url', url.toString()),
      DATABASE_SSL_CA_FILE: await postgresTlsCa(),
      API_KEYS_FILE: secretFile('api-keys', WRITE_KEY),
      READ_API_KEYS_FILE: secretFile('read-api-keys', READ_KEY),
      METRICS_TOKEN_FILE: secretFile('metrics-token', METRICS_TOKEN),
    };
  });
  after(async () => schema?.drop());

  it('writes and answers none of them, at debug level, through success and refusal', async () => {
    const port = await freePort();
    const child = spawnService({ ...variables, PORT: String(port), LOG_LEVEL: 'debug' });
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    const exited = exitOf(child);
    const base = `http://127.0.0.1:${port}`;
    const answered = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${base}${path}`, init);
      const text = await response.text();
      outputs.push(text);
      return { status: response.status, text };
    };
    try {
      await eventually(
        'the service ready',
        async () =>
          (await answered('/health/ready').catch(() => ({ status: 0 }))).status === 200
            ? true
            : undefined,
        60_000,
      );
      const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
      const posted = await postJson(`${base}/events/generate`, seedLoginBody(), bearer(WRITE_KEY));
      outputs.push(await posted.text());
      expect(posted.status).to.equal(201);
      expect((await answered('/events/processed', { headers: bearer(READ_KEY) })).status).to.equal(
        200,
      );
      expect(
        (await answered('/events/processed', { headers: bearer('wrong-key-0123456789') })).status,
      ).to.equal(401);
      expect((await answered('/metrics', { headers: bearer(METRICS_TOKEN) })).status).to.equal(200);
      expect((await answered('/dead-letters', { headers: bearer(READ_KEY) })).status).to.equal(200);
      const listed = await npmScript('dlq', ['list'], variables);
      outputs.push(listed.stdout, listed.stderr);
      expect(listed.code).to.equal(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
    outputs.push(stdout(), stderr());
    const everything = outputs.join('\n');
    expect(everything).to.include('"msg":"service stopped"');
    for (const secret of [saslPassword, WRITE_KEY, READ_KEY, METRICS_TOKEN, DATABASE_PASSWORD])
      expect(everything.includes(secret), 'a secret in the outputs').to.equal(false);
  });
});
