import type * as Library from '@confluentinc/kafka-javascript';

export type Librdkafka = typeof Library;

// What to do comes before the cause: start-up failures are logged cut at 200 characters.
const BUILD_IT =
  'build it with `CKJS_LINKING=dynamic npm_config_build_from_source=true npm ci` ' +
  '(README: A second Kafka client)';

/**
 * The native client, loaded only when KAFKA_CLIENT=librdkafka chose it: it is an optional
 * dependency, which `npm ci` leaves out where it cannot be built, and kafkajs needs none of it.
 */
export function loadLibrdkafka(): Librdkafka {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
    return require('@confluentinc/kafka-javascript') as Librdkafka;
  } catch (cause) {
    const missing = (cause as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND';
    throw new Error(
      missing
        ? `KAFKA_CLIENT=librdkafka: @confluentinc/kafka-javascript is not installed; ${BUILD_IT}`
        : `KAFKA_CLIENT=librdkafka: @confluentinc/kafka-javascript does not load on this Node.js; ${BUILD_IT}: ${String(cause).split('\n')[0]}`,
      { cause },
    );
  }
}
