import { expect } from 'chai';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config/config';

const PASSWORD = 'the-sasl-password-0123';
const KEY = 'a-key-of-sixteen-characters';

/** A reader of named files that holds them in memory, and fails as fs does for any other. */
const filesOf =
  (files: Readonly<Record<string, string>>) =>
  (path: string): string => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };

const failure = (parsed: Either<string, Config>): string => (isLeft(parsed) ? parsed.left : '');
const config = (parsed: Either<string, Config>): Config => {
  if (isLeft(parsed)) throw new Error(parsed.left);
  return parsed.right;
};

describe('configuration: secrets from files', () => {
  it('reads each secret from the file <NAME>_FILE names, without its trailing newline', () => {
    const read = filesOf({
      '/run/secrets/password': `${PASSWORD}\n`,
      '/run/secrets/keys': `${KEY}\n`,
      '/run/secrets/url': 'postgresql://app:secret@db:5432/events\r\n',
    });
    const parsed = config(
      parseConfig(
        {
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: 'service',
          KAFKA_SASL_PASSWORD_FILE: '/run/secrets/password',
          API_KEYS_FILE: '/run/secrets/keys',
          DATABASE_URL_FILE: '/run/secrets/url',
        },
        read,
      ),
    );
    expect(parsed.kafka.security.sasl).to.deep.equal({
      mechanism: 'scram-sha-512',
      username: 'service',
      password: PASSWORD,
    });
    expect(parsed.keyDigests.write).to.have.length(1);
    expect(parsed.database?.url).to.equal('postgresql://app:secret@db:5432/events');
  });

  it('reads the files from the file system by default', () => {
    const folder = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(folder, 'token'), 'metrics-token-0123456789\n');
    const parsed = config(parseConfig({ METRICS_TOKEN_FILE: join(folder, 'token') }));
    expect(parsed.keyDigests.metrics).to.be.a('string');
  });

  for (const name of ['KAFKA_SASL_PASSWORD', 'API_KEYS', 'READ_API_KEYS', 'METRICS_TOKEN']) {
    it(`refuses ${name} together with ${name}_FILE, naming neither's value`, () => {
      const message = failure(
        parseConfig({ [name]: KEY, [`${name}_FILE`]: '/run/secrets/x' }, filesOf({})),
      );
      expect(message).to.equal(
        `Invalid configuration: ${name} and ${name}_FILE are both set; set one`,
      );
    });
  }

  it('says which file cannot be read and why, and never what a secret file holds', () => {
    expect(failure(parseConfig({ API_KEYS_FILE: '/run/secrets/gone' }, filesOf({})))).to.equal(
      'Invalid configuration: API_KEYS_FILE names /run/secrets/gone, which cannot be read (ENOENT)',
    );
    const message = failure(
      parseConfig({ API_KEYS_FILE: '/k' }, filesOf({ '/k': 'short-secret' })),
    );
    expect(message).to.match(/^Invalid configuration: API_KEYS must be/);
    expect(message).not.to.include('short-secret');
  });

  it('never repeats a database URL, which holds its password', () => {
    const message = failure(
      parseConfig({ DATABASE_URL: 'postgresql://app:hunter2-secret@db/x?sslmode=prefer' }),
    );
    expect(message).to.equal(
      "Invalid configuration: DATABASE_URL's sslmode must be one of disable, require, verify-ca, verify-full",
    );
  });
});

describe('configuration: Kafka TLS and SASL', () => {
  it('connects in plaintext, anonymously, by default', () => {
    expect(config(parseConfig({})).kafka.security).to.deep.equal({
      tls: undefined,
      sasl: undefined,
    });
  });

  it('holds the PEM text of the CA, certificate and key files', () => {
    const read = filesOf({ '/ca.pem': 'CA', '/client.pem': 'CERT', '/client.key': 'KEY' });
    const parsed = config(
      parseConfig(
        {
          KAFKA_SSL: 'true',
          KAFKA_SSL_CA_FILE: '/ca.pem',
          KAFKA_SSL_CERT_FILE: '/client.pem',
          KAFKA_SSL_KEY_FILE: '/client.key',
        },
        read,
      ),
    );
    expect(parsed.kafka.security.tls).to.deep.equal({ ca: 'CA', cert: 'CERT', key: 'KEY' });
  });

  it("trusts Node's CAs when TLS is on without a CA file", () => {
    expect(config(parseConfig({ KAFKA_SSL: 'true' })).kafka.security.tls).to.deep.equal({
      ca: undefined,
      cert: undefined,
      key: undefined,
    });
  });

  const refused: readonly [string, Readonly<Record<string, string>>, string][] = [
    [
      'a CA file without TLS',
      { KAFKA_SSL_CA_FILE: '/ca.pem' },
      'KAFKA_SSL_CA_FILE needs KAFKA_SSL=true: without it the connection is not encrypted',
    ],
    [
      'a certificate without its key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/client.pem' },
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: set both or neither',
    ],
    [
      'a mechanism without a password',
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'service' },
      'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or _FILE)',
    ],
    [
      'credentials without a mechanism',
      { KAFKA_SASL_USERNAME: 'service', KAFKA_SASL_PASSWORD: PASSWORD },
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM',
    ],
    [
      'an unknown mechanism',
      { KAFKA_SASL_MECHANISM: 'gssapi' },
      'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512',
    ],
    [
      'a CA file that is not there',
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nowhere/ca.pem' },
      'KAFKA_SSL_CA_FILE names /nowhere/ca.pem, which cannot be read (ENOENT)',
    ],
  ];
  for (const [what, env, message] of refused)
    it(`refuses ${what}`, () => {
      expect(failure(parseConfig(env, filesOf({ '/ca.pem': 'CA' })))).to.equal(
        `Invalid configuration: ${message}`,
      );
    });
});

describe('configuration: PostgreSQL TLS', () => {
  const database = (url: string, env: Readonly<Record<string, string>> = {}) =>
    config(parseConfig({ DATABASE_URL: url, ...env }, filesOf({ '/db-ca.pem': 'DBCA' }))).database;

  it('reads sslmode as libpq does, and takes it out of the URL', () => {
    expect(database('postgresql://db/x')).to.deep.equal({
      url: 'postgresql://db/x',
      tls: undefined,
    });
    expect(database('postgresql://db/x?sslmode=disable')?.tls).to.equal(undefined);
    expect(database('postgresql://db/x?application_name=a&sslmode=require')).to.deep.equal({
      url: 'postgresql://db/x?application_name=a',
      tls: { verify: 'none', ca: undefined },
    });
    expect(database('postgresql://db/x?sslmode=verify-ca')?.tls).to.deep.equal({
      verify: 'ca',
      ca: undefined,
    });
    expect(
      database('postgresql://db/x?sslmode=verify-full', { DATABASE_SSL_CA_FILE: '/db-ca.pem' })
        ?.tls,
    ).to.deep.equal({ verify: 'full', ca: 'DBCA' });
  });

  it('verifies the CA with sslmode=require once a CA file is given, as libpq does', () => {
    expect(
      database('postgresql://db/x?sslmode=require', { DATABASE_SSL_CA_FILE: '/db-ca.pem' })?.tls,
    ).to.deep.equal({ verify: 'ca', ca: 'DBCA' });
  });

  it("refuses node-postgres' own TLS parameters and a CA file without TLS", () => {
    const refusal = (url: string, env: Readonly<Record<string, string>> = {}) =>
      failure(parseConfig({ DATABASE_URL: url, ...env }, filesOf({})));
    expect(refusal('postgresql://db/x?sslrootcert=/ca.pem')).to.equal(
      "Invalid configuration: DATABASE_URL's sslrootcert is not read; use DATABASE_SSL_CA_FILE",
    );
    expect(refusal('postgresql://db/x?ssl=true')).to.equal(
      "Invalid configuration: DATABASE_URL's ssl is not read; use sslmode",
    );
    expect(refusal('postgresql://db/x', { DATABASE_SSL_CA_FILE: '/db-ca.pem' })).to.equal(
      'Invalid configuration: DATABASE_SSL_CA_FILE needs sslmode=require, verify-ca or verify-full in DATABASE_URL',
    );
  });

  it('is not asked for without a database', () => {
    expect(isRight(parseConfig({}))).to.equal(true);
  });
});
