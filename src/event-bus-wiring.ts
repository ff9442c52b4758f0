import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import type { Config } from './config';
import { CLOCK } from './application/clock.port';
import { EVENT_PUBLISHER } from './application/event-publisher.port';
import { DEAD_LETTER_PUBLISHER } from './application/dead-letter-publisher.port';
import type { ProcessEvent } from './application/process-event';
import type { RedeliveryPolicy } from './adapters/shared/redelivery';
import type { CheckStatus } from './adapters/http/health-routes';
import { InMemoryEventBus } from './adapters/memory/in-memory-event-bus';
import { createKafka } from './adapters/kafka/kafka-client';
import { ensureTopics } from './adapters/kafka/kafka-topics';
import { KafkaEventPublisher } from './adapters/kafka/kafka-event-publisher';
import { KafkaDeadLetterPublisher } from './adapters/kafka/kafka-dead-letter-publisher';
import { KafkaEventConsumer } from './adapters/kafka/kafka-event-consumer';
import { registerDefault, resolvePort } from './port-registry';

/** The publishing and delivering side of the service, whichever bus it is. */
export interface RunningBus {
  checks(): Readonly<Record<string, CheckStatus>>;
  /** Delivers or commits what is in hand, then disconnects. */
  stop(): Promise<void>;
}

export interface BusDependencies {
  readonly processEvent: ProcessEvent;
  readonly redelivery: RedeliveryPolicy;
  readonly logger: Logger;
}

const status = (up: boolean): CheckStatus => (up ? 'up' : 'down');
const JOIN_TIMEOUT_MS = 30000;

export async function startKafkaBus(
  container: DependencyContainer,
  config: Config,
  deps: BusDependencies,
): Promise<RunningBus> {
  const { kafka: settings } = config;
  const kafka = createKafka(settings, deps.logger);
  await ensureTopics(kafka, [settings.topic, settings.dlqTopic], settings.topicPartitions);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 5, maxRetryTime: config.publishTimeoutMs },
  });
  // Created before connecting, so that it sees the producer's connect event.
  const publisher = new KafkaEventPublisher(producer, {
    topic: settings.topic,
    source: `urn:user-events-service:${settings.clientId}`,
    publishTimeoutMs: config.publishTimeoutMs,
  });
  await producer.connect();
  registerDefault(container, EVENT_PUBLISHER, () => publisher);
  registerDefault(
    container,
    DEAD_LETTER_PUBLISHER,
    () => new KafkaDeadLetterPublisher(producer, settings.dlqTopic, resolvePort(container, CLOCK)),
  );
  const consumer = new KafkaEventConsumer(
    kafka.consumer({ groupId: settings.groupId, allowAutoTopicCreation: false }),
    deps.processEvent,
    resolvePort(container, DEAD_LETTER_PUBLISHER),
    {
      topic: settings.topic,
      concurrentPartitions: settings.topicPartitions,
      redelivery: deps.redelivery,
      joinTimeoutMs: JOIN_TIMEOUT_MS,
    },
    deps.logger,
  );
  await consumer.start();
  return {
    checks: () => ({
      producer: status(publisher.isConnected()),
      consumer: status(consumer.isAssigned()),
    }),
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

export function startMemoryBus(container: DependencyContainer, deps: BusDependencies): RunningBus {
  const bus = new InMemoryEventBus(deps.processEvent, deps.redelivery, deps.logger);
  registerDefault(container, EVENT_PUBLISHER, () => bus);
  bus.start();
  return { checks: () => ({ bus: 'up' }), stop: () => bus.stop() };
}
