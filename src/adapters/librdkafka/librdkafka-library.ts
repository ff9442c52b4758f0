import type * as Library from '@confluentinc/kafka-javascript';

export type Librdkafka = typeof Library;

// Short enough for the 200 characters that start-up failures are logged with.
const LIBRDKAFKA_INSTALL =
  'KAFKA_CLIENT=librdkafka needs @confluentinc/kafka-javascript built for this Node.js: ' +
  '`CKJS_LINKING=dynamic npm_config_build_from_source=true npm ci` (README: A second Kafka client)';

/**
 * The native client, loaded only when KAFKA_CLIENT=librdkafka chose it: it is an optional
 * dependency, which `npm ci` leaves out where it cannot be built, and kafkajs needs none of it.
 */
export function loadLibrdkafka(): Librdkafka {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
    return require('@confluentinc/kafka-javascript') as Librdkafka;
  } catch (cause) {
    throw new Error(`${LIBRDKAFKA_INSTALL}; loading it failed: ${String(cause).split('\n')[0]}`);
  }
}
