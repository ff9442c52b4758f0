import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { KafkaContainer } from '@testcontainers/kafka';
import { dockerAnswers, testDependency } from './test-dependency';

const run = promisify(execFile);
const LOCAL_SCRIPT = resolve(__dirname, '../../scripts/kafka-local.sh');
// Confluent's image is what @testcontainers/kafka knows how to configure; it runs KRaft here.
const CONTAINER_IMAGE = 'confluentinc/cp-kafka:7.9.0';
// A state folder and port of the tests' own, so a developer's broker on 9092 is neither reused
// nor stopped by the tests.
const TEST_BROKER_ENV = {
  ...process.env,
  KAFKA_LOCAL_HOME: resolve(__dirname, '../../.cache/kafka-test'),
  KAFKA_LOCAL_PORT: '19292',
};

interface Broker {
  readonly brokers: string[];
  readonly source: 'environment' | 'testcontainers' | 'local script';
  readonly stop: () => Promise<void>;
}

const broker = testDependency(findBroker);

/**
 * The Kafka bootstrap addresses the tests use, found in this order: `KAFKA_BROKERS` from the
 * environment, a testcontainers broker where a Docker engine answers, else the project's local
 * KRaft broker script. Failing to get one fails the calling test; nothing is skipped.
 */
export const kafkaBrokers = (): Promise<string[]> => broker.get().then((found) => found.brokers);

/** Stops a broker only if these tests started it. */
export const releaseKafkaBroker = broker.release;

async function findBroker(): Promise<Broker> {
  const fromEnvironment = process.env.KAFKA_BROKERS ?? process.env.KAFKA_BROKER;
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    return {
      brokers: fromEnvironment.split(',').map((b) => b.trim()),
      source: 'environment',
      stop: async () => {},
    };
  }
  if (await dockerAnswers()) return startContainer();
  return startLocalScript();
}

async function startContainer(): Promise<Broker> {
  const container: StartedTestContainer = await new KafkaContainer(CONTAINER_IMAGE)
    .withKraft()
    .start();
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`],
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

async function startLocalScript(): Promise<Broker> {
  const { stdout } = await run('bash', [LOCAL_SCRIPT, 'start'], {
    env: TEST_BROKER_ENV,
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const address = stdout.trim().split('\n').pop() ?? '';
  return {
    brokers: [address],
    source: 'local script',
    stop: async () => {
      await run('bash', [LOCAL_SCRIPT, 'stop'], { env: TEST_BROKER_ENV, timeout: 60_000 });
    },
  };
}
