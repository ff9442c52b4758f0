/**
 * The dependency rules of the hexagon and of its edges, checked by `npm run lint`:
 * domain <- application <- adapters <- wiring <- composition root <- main, with cli/ beside main.
 */
const EDGES = '^src/(composition-root\\.ts|main\\.ts|wiring/|cli/|config/)';
// The only files every adapter may share: the one retry loop, turning a failure into text, and
// the request-id header name that HTTP and Kafka both carry.
const SHARED = 'shared/(retry-with-backoff|error-message|request-id-header)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain knows nothing of use cases, adapters, configuration or DI.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: `^src/(application|adapters)/|${EDGES}|node_modules/(tsyringe|koa|kafkajs|pg|pino|prom-client|@opentelemetry)`,
      },
    },
    {
      name: 'application-knows-no-adapter',
      comment: 'Use cases and ports depend only on the domain.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: {
        path: `^src/adapters/|${EDGES}|node_modules/(koa|kafkajs|pg|pino|prom-client|@opentelemetry)`,
      },
    },
    {
      name: 'adapters-are-isolated',
      comment:
        'An adapter never imports another technology adapter: only the composition root and its wiring join them. Both buses share the delivery path (adapters/delivery), and every adapter the few files of adapters/shared.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/', pathNot: '^src/adapters/(kafkajs|librdkafka)/' },
      to: {
        path: '^src/adapters/([^/]+)/',
        pathNot: `^src/adapters/($1/|delivery/|${SHARED})`,
      },
    },
    {
      name: 'kafka-clients-share-one-core',
      comment:
        'Each Kafka client library (kafkajs, librdkafka) implements the one Kafka core of adapters/kafka, and never the other library.',
      severity: 'error',
      from: { path: '^src/adapters/(kafkajs|librdkafka)/' },
      to: {
        path: '^src/adapters/',
        pathNot: `^src/adapters/($1/|kafka/|${SHARED})`,
      },
    },
    {
      name: 'kafkajs-adapter-loads-no-librdkafka',
      comment: 'adapters/kafkajs never loads librdkafka.',
      severity: 'error',
      from: { path: '^src/adapters/kafkajs/' },
      to: { path: 'node_modules/@confluentinc/' },
    },
    {
      name: 'librdkafka-adapter-loads-no-kafkajs',
      comment: 'adapters/librdkafka never loads kafkajs.',
      severity: 'error',
      from: { path: '^src/adapters/librdkafka/' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'kafka-core-knows-no-client-library',
      comment: 'adapters/kafka holds what both clients share: it imports neither library.',
      severity: 'error',
      from: { path: '^src/adapters/kafka/' },
      to: { path: '^src/adapters/(kafkajs|librdkafka)/|node_modules/(kafkajs|@confluentinc)/' },
    },
    {
      name: 'delivery-knows-no-technology',
      comment:
        'The delivery path both buses share is the same for Kafka and for memory: it imports no bus.',
      severity: 'error',
      from: { path: '^src/adapters/delivery/' },
      to: { path: '^src/adapters/', pathNot: `^src/adapters/(delivery/|${SHARED})` },
    },
    {
      name: 'adapters-only-from-the-edges',
      comment:
        'Adapters are chosen and started by the composition root, its wiring and the command-line tools, nowhere else (main may use the shared utilities).',
      severity: 'error',
      from: { pathNot: '^src/(adapters/|wiring/|cli/|composition-root\\.ts$)' },
      to: { path: '^src/adapters/', pathNot: `^src/adapters/${SHARED}` },
    },
    {
      name: 'wiring-only-from-the-root',
      comment:
        'How each adapter set is started and stopped is the composition root’s business; a command-line tool builds the parts it shares with the service (the DLQ, the Kafka client) as the wiring does.',
      severity: 'error',
      from: { pathNot: '^src/(wiring/|cli/|composition-root\\.ts$)' },
      to: { path: '^src/wiring/' },
    },
    {
      name: 'configuration-only-from-the-edges',
      comment:
        'Only main, the composition root, the wiring and the command-line tools read configuration; an adapter is given its settings.',
      severity: 'error',
      from: { pathNot: '^src/(config/|wiring/|cli/|main\\.ts$|composition-root\\.ts$)' },
      to: { path: '^src/config/' },
    },
    {
      name: 'entry-points-are-not-imported',
      comment: 'main, the composition root and the command-line tools are where code starts.',
      severity: 'error',
      from: { pathNot: '^src/(main\\.ts|cli/)' },
      to: { path: '^src/(main\\.ts$|cli/|composition-root\\.ts$)' },
    },
    {
      name: 'opentelemetry-sdk-only-in-wiring',
      comment:
        'Adapters start spans through @opentelemetry/api alone; which SDK, sampler and exporter run is the wiring’s choice (wiring/open-telemetry.ts).',
      severity: 'error',
      from: { pathNot: '^src/wiring/' },
      to: { path: 'node_modules/@opentelemetry/(?!api/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
