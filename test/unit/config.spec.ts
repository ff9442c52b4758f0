import { expect } from 'chai';
import { isLeft, isRight, left } from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_VARIABLES, parseConfig } from '../../src/config/config';

const KEY = 'a-key-of-sixteen-characters';
const KEY_LIST_RULE =
  'must be a comma-separated list of keys, each 16 or more printable characters, or sha256: and the 64 hex digits of the key';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('configuration', () => {
  it('keeps only the digests of the keys, whether given as keys or as digests', () => {
    const digest = sha256('read-key-given-as-its-digest');
    const config = parseConfig({
      API_KEYS: KEY,
      READ_API_KEYS: ` sha256:${digest.toUpperCase()} , another-read-key-0123`,
      METRICS_TOKEN: 'metrics-token-0123456789',
    });
    expect(isRight(config) && config.right.keyDigests).to.deep.equal({
      write: [sha256(KEY)],
      read: [digest, sha256('another-read-key-0123')],
      metrics: sha256('metrics-token-0123456789'),
    });
    expect(JSON.stringify(config)).not.to.include(KEY);
  });

  it('configures no key by default: every route is open', () => {
    const config = parseConfig({});
    expect(isRight(config) && config.right.keyDigests).to.deep.equal({
      write: [],
      read: [],
      metrics: undefined,
    });
  });

  it("defaults to the seed's values", () => {
    const config = parseConfig({});
    expect(isRight(config) && config.right).to.deep.include({
      port: 3000,
      eventBus: 'kafka',
      store: 'memory',
    });
    expect(isRight(config) && config.right.kafka).to.deep.equal({
      brokers: ['kafka:9092'],
      clientId: 'my-app',
      client: 'kafkajs',
      topic: 'user-events',
      groupId: 'my-app-processor',
      dlqTopic: 'user-events.dlq',
      topicPartitions: 3,
      replication: { factor: undefined, minInsyncReplicas: undefined },
      sessionTimeoutMs: 30000,
      security: { tls: undefined, sasl: undefined },
    });
  });

  it('reads the consumer group session timeout within what the broker allows', () => {
    const config = parseConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000' });
    expect(isRight(config) && config.right.kafka.sessionTimeoutMs).to.equal(6000);
  });

  it('runs on kafkajs unless KAFKA_CLIENT names librdkafka, and refuses any other client', () => {
    const client = (env: Record<string, string>) => {
      const config = parseConfig(env);
      return isRight(config) ? config.right.kafka.client : config.left;
    };
    expect(client({ KAFKA_CLIENT: 'librdkafka' })).to.equal('librdkafka');
    expect(client({ KAFKA_CLIENT: 'kafkajs' })).to.equal('kafkajs');
    expect(client({ KAFKA_CLIENT: 'rdkafka' })).to.match(
      /^Invalid configuration: KAFKA_CLIENT must be/,
    );
  });

  it('reads a broker list from KAFKA_BROKER or KAFKA_BROKERS', () => {
    for (const name of ['KAFKA_BROKER', 'KAFKA_BROKERS']) {
      const config = parseConfig({ [name]: '127.0.0.1:9092, broker-2:9093' });
      expect(isRight(config) && config.right.kafka.brokers).to.deep.equal([
        '127.0.0.1:9092',
        'broker-2:9093',
      ]);
    }
  });

  it('derives the group and the DLQ topic from client id and topic', () => {
    const config = parseConfig({ KAFKA_CLIENT_ID: 'svc', KAFKA_TOPIC: 'clicks' });
    expect(isRight(config) && config.right.kafka).to.deep.include({
      groupId: 'svc-processor',
      dlqTopic: 'clicks.dlq',
    });
  });

  it('runs every part in one process unless SERVICE_ROLE says otherwise', () => {
    const config = parseConfig({});
    expect(isRight(config) && config.right.role).to.equal('all');
    const worker = parseConfig({
      SERVICE_ROLE: 'worker',
      STORE: 'postgres',
      DATABASE_URL: 'postgresql://db/events',
    });
    expect(isRight(worker) && worker.right.role).to.equal('worker');
  });

  it('refuses an api or a worker on what only one process can see', () => {
    const onPostgres = { STORE: 'postgres', DATABASE_URL: 'postgresql://db/events' };
    const cases: Array<[Record<string, string>, string]> = [
      [
        { SERVICE_ROLE: 'api' },
        'Invalid configuration: SERVICE_ROLE=api needs STORE=postgres: the api serves what the worker processed, and the in-memory store is seen by its own process only; use SERVICE_ROLE=all with it',
      ],
      [
        { SERVICE_ROLE: 'worker', STORE: 'memory' },
        'Invalid configuration: SERVICE_ROLE=worker needs STORE=postgres: the api serves what the worker processed, and the in-memory store is seen by its own process only; use SERVICE_ROLE=all with it',
      ],
      [
        { SERVICE_ROLE: 'api', EVENT_BUS: 'memory', ...onPostgres },
        'Invalid configuration: SERVICE_ROLE=api needs EVENT_BUS=kafka: the in-memory bus delivers events only within its own process; use SERVICE_ROLE=all with it',
      ],
      [
        { SERVICE_ROLE: 'worker', EVENT_BUS: 'memory', STORE: 'memory' },
        'Invalid configuration: SERVICE_ROLE=worker needs EVENT_BUS=kafka: the in-memory bus delivers events only within its own process; use SERVICE_ROLE=all with it',
      ],
      [
        { SERVICE_ROLE: 'consumer', ...onPostgres },
        'Invalid configuration: SERVICE_ROLE must be one of all, api, worker',
      ],
    ];
    for (const [env, message] of cases) expect(parseConfig(env)).to.deep.equal(left(message));
    expect(parseConfig({ SERVICE_ROLE: 'all', EVENT_BUS: 'memory' })).to.have.property(
      '_tag',
      'Right',
    );
  });

  it('traces only once an OTLP endpoint is set, as the OpenTelemetry SDKs read the variables', () => {
    const tracingOf = (env: Record<string, string>) => {
      const config = parseConfig(env);
      if (isLeft(config)) throw new Error(config.left);
      return config.right.tracing;
    };
    expect(tracingOf({})).to.equal(undefined);
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).to.deep.equal({
      tracesUrl: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'user-events-service',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    // The signal's own endpoint is taken as it is, and its own protocol wins over the general one.
    expect(
      tracingOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'events-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      }),
    ).to.deep.equal({
      tracesUrl: 'https://traces.example/otlp',
      protocol: 'http/json',
      serviceName: 'events-eu',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.1,
    });
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingOf({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).to.equal(undefined);
    expect(tracingOf({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).to.equal(undefined);
  });

  it('refuses tracing variables it cannot honour, naming the variable', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    const cases: Array<[Record<string, string>, string]> = [
      [
        { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
        'Invalid configuration: OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json',
      ],
      [
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
        'Invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL',
      ],
      [
        { ...endpoint, OTEL_TRACES_SAMPLER_ARG: '1.5' },
        'Invalid configuration: OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1',
      ],
      [
        { ...endpoint, OTEL_TRACES_SAMPLER: 'sometimes' },
        'Invalid configuration: OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
      ],
      [
        { ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' },
        'Invalid configuration: OTEL_TRACES_EXPORTER must be one of otlp, none',
      ],
    ];
    for (const [env, message] of cases) expect(parseConfig(env)).to.deep.equal(left(message));
  });

  it('rejects a bad variable with one line naming it and its rule', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: 'eighty' }, 'Invalid configuration: PORT must be a whole number from 0 to 65535'],
      [
        { KAFKA_BROKER: 'no-port' },
        'Invalid configuration: KAFKA_BROKER must be a comma-separated list of host:port',
      ],
      [{ EVENT_BUS: 'redis' }, 'Invalid configuration: EVENT_BUS must be one of kafka, memory'],
      [
        { KAFKA_SESSION_TIMEOUT_MS: '5999' },
        'Invalid configuration: KAFKA_SESSION_TIMEOUT_MS must be a whole number from 6000 to 300000',
      ],
      [
        { STORE: 'postgres' },
        'Invalid configuration: DATABASE_URL is required when STORE=postgres',
      ],
      [
        { HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' },
        'Invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
      ],
      [
        { KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' },
        'Invalid configuration: KAFKA_MIN_INSYNC_REPLICAS must not exceed KAFKA_REPLICATION_FACTOR',
      ],
      [
        { RATE_LIMIT_PER_MINUTE: '0' },
        'Invalid configuration: RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 100000000',
      ],
      [{ API_KEYS: 'short' }, `Invalid configuration: API_KEYS ${KEY_LIST_RULE}`],
      [
        { API_KEYS: `sha256:${'ab'.repeat(31)}` },
        `Invalid configuration: API_KEYS ${KEY_LIST_RULE}`,
      ],
      [
        { API_KEYS: KEY, READ_API_KEYS: `other-key-0123456789,sha256:${'g'.repeat(64)}` },
        `Invalid configuration: READ_API_KEYS ${KEY_LIST_RULE}`,
      ],
      [
        { METRICS_TOKEN: 'short' },
        'Invalid configuration: METRICS_TOKEN must be 16 or more printable characters, or sha256: and the 64 hex digits of the key',
      ],
      [
        { READ_API_KEYS: KEY },
        'Invalid configuration: READ_API_KEYS needs API_KEYS: with read keys only, nobody could publish',
      ],
      [
        { API_KEYS: KEY, READ_API_KEYS: `other-key-0123456789,sha256:${sha256(KEY)}` },
        'Invalid configuration: a key is in both API_KEYS and READ_API_KEYS; a key may be in one of them',
      ],
    ];
    for (const [env, message] of cases) {
      const config = parseConfig(env);
      expect(isLeft(config) && config.left).to.equal(message);
      expect(message).to.not.include('\n');
    }
  });
});

describe('.env.example', () => {
  const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
  const entries = Object.fromEntries(
    example
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('lists every variable the service reads, and only those', () => {
    expect(Object.keys(entries).sort()).to.deep.equal([...CONFIG_VARIABLES].sort());
  });

  it('is a valid configuration as it stands', () => {
    expect(parseConfig(entries)).to.have.property('_tag', 'Right');
  });
});
