import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { integer, list, nonEmptyText, oneOf, ratio, unsetOr, withDefault } from './codecs';
import { EventType } from '../domain/event-fields';
import { toValidationIssues } from '../domain/validation-issue';
import { BEARER_KEY, BEARER_KEY_RULE, keyDigest } from './key-digest';
import { readConfigFile, withSecretFiles, type ReadConfigFile } from './secret-files';
import { databaseOf, kafkaSecurityOf, SASL_MECHANISMS } from './connection-security';

const BROKER = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;
const NAME = /^[A-Za-z0-9._-]{1,249}$/;
const KEY_LIST_RULE = `must be a comma-separated list of keys, each ${BEARER_KEY_RULE}`;
// The domain's rule for an event type, so that a listed type is one a client may send.
const EVENT_TYPE = { test: (text: string) => EventType.is(text) };
const FILE_PATH = unsetOr(nonEmptyText(/^\S(.*\S)?$/, 'must be the path of a file'));
const OTLP_URL = unsetOr(nonEmptyText(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL'));
// gRPC is left out: its exporter would add a second HTTP/2 stack for what OTLP/HTTP carries too.
const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
// The samplers of the OpenTelemetry specification's OTEL_TRACES_SAMPLER.
const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** How traces are sampled and where they are sent; none when tracing is off. */
export interface TracingSettings {
  /** The OTLP/HTTP URL that takes the spans (…/v1/traces). */
  readonly tracesUrl: string;
  readonly protocol: (typeof OTLP_PROTOCOLS)[number];
  readonly serviceName: string;
  readonly sampler: (typeof TRACE_SAMPLERS)[number];
  /** The ratio of the traceidratio samplers; 1 unless OTEL_TRACES_SAMPLER_ARG says otherwise. */
  readonly samplerRatio: number;
}

// Every variable of the contract (SPEC section 5); `.env.example` lists the same.
const Environment = t.type({
  PORT: withDefault(integer(0, 65535), 3000),
  KAFKA_BROKER: unsetOr(list(BROKER, 'must be a comma-separated list of host:port')),
  KAFKA_BROKERS: unsetOr(list(BROKER, 'must be a comma-separated list of host:port')),
  KAFKA_CLIENT_ID: withDefault(
    nonEmptyText(NAME, 'must be 1-249 letters, digits, . _ or -'),
    'my-app',
  ),
  // kafkajs (pure JavaScript, the default) or librdkafka (@confluentinc/kafka-javascript, native).
  KAFKA_CLIENT: withDefault(oneOf('kafkajs', 'librdkafka'), 'kafkajs'),
  KAFKA_TOPIC: withDefault(nonEmptyText(NAME, 'must be a valid Kafka topic name'), 'user-events'),
  KAFKA_GROUP_ID: unsetOr(nonEmptyText(NAME, 'must be 1-249 letters, digits, . _ or -')),
  KAFKA_DLQ_TOPIC: unsetOr(nonEmptyText(NAME, 'must be a valid Kafka topic name')),
  KAFKA_TOPIC_PARTITIONS: withDefault(integer(1, 1000), 3),
  // Unset: decided at start-up from the cluster (3, or the number of brokers when fewer; 2 in sync
  // when 3 or more copies, else 1).
  KAFKA_REPLICATION_FACTOR: unsetOr(integer(1, 32)),
  KAFKA_MIN_INSYNC_REPLICAS: unsetOr(integer(1, 32)),
  // kafkajs' default; the floor is the broker's default group.min.session.timeout.ms.
  KAFKA_SESSION_TIMEOUT_MS: withDefault(integer(6000, 300000), 30000),
  // TLS and SASL, for every Kafka client of the service (docs/operations.md, "Secured clusters").
  KAFKA_SSL: withDefault(oneOf('true', 'false'), 'false'),
  KAFKA_SSL_CA_FILE: FILE_PATH,
  KAFKA_SSL_CERT_FILE: FILE_PATH,
  KAFKA_SSL_KEY_FILE: FILE_PATH,
  KAFKA_SASL_MECHANISM: unsetOr(oneOf(...SASL_MECHANISMS)),
  KAFKA_SASL_USERNAME: unsetOr(nonEmptyText(/^.{1,255}$/, 'must be 1-255 characters')),
  KAFKA_SASL_PASSWORD: unsetOr(nonEmptyText(/^.{1,1024}$/, 'must be 1-1024 characters')),
  PUBLISH_TIMEOUT_MS: withDefault(integer(100, 120000), 5000),
  MAX_PENDING_EVENTS: withDefault(integer(1, 10000000), 10000),
  PROCESS_MAX_ATTEMPTS: unsetOr(integer(1, 1000000)),
  MEMORY_STORE_MAX_EVENTS: withDefault(integer(1, 10000000), 100000),
  // The heap holds up to 3.4 times the counted bytes (small events, measured): 32 MiB of events
  // stays near 100 MB of heap, and the process under 300 MB of RSS, whatever the payloads.
  MEMORY_STORE_MAX_BYTES: withDefault(integer(65536, 17179869184), 33554432),
  // About 140 bytes of heap each (npm run bench:memory-bytes): 50,000 of them cost some 7 MB.
  PUBLISHED_STATUS_MAX_EVENTS: withDefault(integer(0, 10000000), 50000),
  MAX_BODY_BYTES: withDefault(integer(1024, 10485760), 65536),
  SHUTDOWN_TIMEOUT_MS: withDefault(integer(100, 600000), 10000),
  // Node's defaults (60 s, 300 s, unlimited) let slow clients hold connections for minutes.
  HTTP_HEADERS_TIMEOUT_MS: withDefault(integer(1000, 600000), 10000),
  HTTP_REQUEST_TIMEOUT_MS: withDefault(integer(1000, 3600000), 30000),
  HTTP_MAX_CONNECTIONS: withDefault(integer(1, 1000000), 4096),
  RATE_LIMIT_PER_MINUTE: unsetOr(integer(1, 100000000)),
  // Each stream polls the store twice a second while it is idle (docs/adr/0015).
  SSE_MAX_CLIENTS: withDefault(integer(1, 10000), 100),
  // all: one process does everything; api: HTTP, publishing and reads; worker: the consumer.
  SERVICE_ROLE: withDefault(oneOf('all', 'api', 'worker'), 'all'),
  EVENT_BUS: withDefault(oneOf('kafka', 'memory'), 'kafka'),
  STORE: withDefault(oneOf('memory', 'postgres'), 'memory'),
  DATABASE_URL: unsetOr(nonEmptyText(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')),
  DATABASE_SSL_CA_FILE: FILE_PATH,
  LOG_LEVEL: withDefault(
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'info',
  ),
  // Keys that may publish and read; keys that may only read (they need API_KEYS beside them).
  API_KEYS: unsetOr(list(BEARER_KEY, KEY_LIST_RULE)),
  READ_API_KEYS: unsetOr(list(BEARER_KEY, KEY_LIST_RULE)),
  // Unset: /metrics is open, as Prometheus scrapes on a private network expect.
  METRICS_TOKEN: unsetOr(nonEmptyText(BEARER_KEY, `must be ${BEARER_KEY_RULE}`)),
  EVENT_TYPES: unsetOr(list(EVENT_TYPE, 'must be a comma-separated list of event type names')),
  // Tracing (OpenTelemetry's own variables, as its SDKs read them): off until an OTLP endpoint is
  // set. The exporter also reads OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION itself,
  // the span processor OTEL_BSP_*, and the resource OTEL_RESOURCE_ATTRIBUTES.
  OTEL_SDK_DISABLED: withDefault(oneOf('true', 'false'), 'false'),
  OTEL_TRACES_EXPORTER: withDefault(oneOf('otlp', 'none'), 'otlp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_URL,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: OTLP_URL,
  OTEL_EXPORTER_OTLP_PROTOCOL: unsetOr(oneOf(...OTLP_PROTOCOLS)),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: unsetOr(oneOf(...OTLP_PROTOCOLS)),
  OTEL_SERVICE_NAME: withDefault(
    nonEmptyText(/^\S.{0,254}$/, 'must be 1-255 characters'),
    'user-events-service',
  ),
  OTEL_TRACES_SAMPLER: withDefault(oneOf(...TRACE_SAMPLERS), 'parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: unsetOr(ratio),
  // Each secret's variable may name a file instead (secret-files.ts reads them first).
  KAFKA_SASL_PASSWORD_FILE: FILE_PATH,
  API_KEYS_FILE: FILE_PATH,
  READ_API_KEYS_FILE: FILE_PATH,
  METRICS_TOKEN_FILE: FILE_PATH,
  DATABASE_URL_FILE: FILE_PATH,
});
type Variables = t.TypeOf<typeof Environment>;

export type Config = ReturnType<typeof fromEnvironment>;
type Connections = Extract<ReturnType<typeof connectionsOf>, E.Right<unknown>>['right'];

/** The names of every variable the service reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Environment.props);

/** What connecting to Kafka and PostgreSQL takes besides addresses: their security, read once. */
function connectionsOf(env: Variables, read: ReadConfigFile) {
  return pipe(
    E.Do,
    E.bind('kafkaSecurity', () => kafkaSecurityOf(env, read)),
    E.bind('database', () =>
      env.DATABASE_URL === undefined
        ? E.right(undefined)
        : databaseOf(env.DATABASE_URL, env.DATABASE_SSL_CA_FILE, read),
    ),
  );
}

function fromEnvironment(env: Variables, { kafkaSecurity, database }: Connections) {
  const topic = env.KAFKA_TOPIC;
  return {
    port: env.PORT,
    kafka: {
      brokers: env.KAFKA_BROKER ?? env.KAFKA_BROKERS ?? ['kafka:9092'],
      clientId: env.KAFKA_CLIENT_ID,
      client: env.KAFKA_CLIENT,
      topic,
      groupId: env.KAFKA_GROUP_ID ?? `${env.KAFKA_CLIENT_ID}-processor`,
      dlqTopic: env.KAFKA_DLQ_TOPIC ?? `${topic}.dlq`,
      topicPartitions: env.KAFKA_TOPIC_PARTITIONS,
      replication: {
        factor: env.KAFKA_REPLICATION_FACTOR,
        minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS,
      },
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      security: kafkaSecurity,
    },
    publishTimeoutMs: env.PUBLISH_TIMEOUT_MS,
    maxPendingEvents: env.MAX_PENDING_EVENTS,
    processMaxAttempts: env.PROCESS_MAX_ATTEMPTS,
    memoryStoreMaxEvents: env.MEMORY_STORE_MAX_EVENTS,
    memoryStoreMaxBytes: env.MEMORY_STORE_MAX_BYTES,
    publishedStatusMaxEvents: env.PUBLISHED_STATUS_MAX_EVENTS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    connectionLimits: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    },
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    sseMaxClients: env.SSE_MAX_CLIENTS,
    role: env.SERVICE_ROLE,
    eventBus: env.EVENT_BUS,
    store: env.STORE,
    database,
    logLevel: env.LOG_LEVEL,
    // Only digests are kept: the keys themselves are not needed once the environment is read.
    keyDigests: {
      write: (env.API_KEYS ?? []).map(keyDigest),
      read: (env.READ_API_KEYS ?? []).map(keyDigest),
      metrics: env.METRICS_TOKEN === undefined ? undefined : keyDigest(env.METRICS_TOKEN),
    },
    eventTypes: env.EVENT_TYPES,
    tracing: tracingOf(env),
  } as const;
}

/**
 * On once an OTLP endpoint is set (as the OpenTelemetry SDKs read it: the signal's own endpoint
 * as it is, the general one with /v1/traces after it), unless the SDK or the exporter is off.
 */
function tracingOf(env: Variables): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (general === undefined ? undefined : `${general.replace(/\/+$/, '')}/v1/traces`);
  if (tracesUrl === undefined) return undefined;
  return {
    tracesUrl,
    protocol:
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    serviceName: env.OTEL_SERVICE_NAME,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}

/**
 * The configuration, or one line naming the first bad variable and its rule. Files the
 * environment names (secrets, certificates) are read with `read`.
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  read: ReadConfigFile = readConfigFile,
): E.Either<string, Config> {
  return pipe(
    withSecretFiles(env, read),
    E.chain((resolved) =>
      pipe(
        Environment.decode(resolved),
        E.mapLeft((errors) => {
          const [first] = toValidationIssues(errors);
          return `${first?.path ?? 'environment'} ${first?.message ?? 'is invalid'}`;
        }),
      ),
    ),
    E.chain((decoded) => {
      const conflict = conflictIn(decoded);
      return conflict === undefined ? E.right(decoded) : E.left(conflict);
    }),
    E.chain((decoded) =>
      pipe(
        connectionsOf(decoded, read),
        E.map((connections) => fromEnvironment(decoded, connections)),
      ),
    ),
    E.mapLeft((message) => `Invalid configuration: ${message}`),
  );
}

/** The first rule between variables that the environment breaks. */
function conflictIn(env: Variables): string | undefined {
  const roleConflict = roleConflictIn(env);
  if (roleConflict !== undefined) return roleConflict;
  if (env.STORE === 'postgres' && env.DATABASE_URL === undefined)
    return 'DATABASE_URL is required when STORE=postgres';
  if ((env.KAFKA_MIN_INSYNC_REPLICAS ?? 1) > (env.KAFKA_REPLICATION_FACTOR ?? 32))
    return 'KAFKA_MIN_INSYNC_REPLICAS must not exceed KAFKA_REPLICATION_FACTOR';
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS)
    return 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS';
  // Read keys alone would close publishing to everyone, which is never what was meant.
  if (env.READ_API_KEYS !== undefined && env.API_KEYS === undefined)
    return 'READ_API_KEYS needs API_KEYS: with read keys only, nobody could publish';
  const writeKeys = new Set((env.API_KEYS ?? []).map(keyDigest));
  if ((env.READ_API_KEYS ?? []).some((key) => writeKeys.has(keyDigest(key))))
    return 'a key is in both API_KEYS and READ_API_KEYS; a key may be in one of them';
  return undefined;
}

/**
 * An api and a worker are separate processes: they meet only in what both reach over the
 * network, the Kafka topic and the PostgreSQL store. What lives in one process cannot be split.
 */
function roleConflictIn(env: Variables): string | undefined {
  const role = env.SERVICE_ROLE;
  if (role === 'all') return undefined;
  if (env.EVENT_BUS === 'memory')
    return `SERVICE_ROLE=${role} needs EVENT_BUS=kafka: the in-memory bus delivers events only within its own process; use SERVICE_ROLE=all with it`;
  if (env.STORE === 'memory')
    return `SERVICE_ROLE=${role} needs STORE=postgres: the api serves what the worker processed, and the in-memory store is seen by its own process only; use SERVICE_ROLE=all with it`;
  return undefined;
}
