import type { DependencyContainer } from 'tsyringe';
import type { Kafka, Producer } from 'kafkajs';
import type { Config } from '../config/config';
import { CLOCK } from '../application/clock.port';
import { EVENT_PUBLISHER } from '../application/event-publisher.port';
import { DEAD_LETTER_PUBLISHER } from '../application/dead-letter-publisher.port';
import { ChosenPartitions, createEventProducer, createKafka } from '../adapters/kafka/kafka-client';
import { ensureTopics } from '../adapters/kafka/kafka-topics';
import { KafkaEventPublisher } from '../adapters/kafka/kafka-event-publisher';
import { KafkaDeadLetterPublisher } from '../adapters/kafka/kafka-dead-letter-publisher';
import { KafkaEventConsumer } from '../adapters/kafka/kafka-event-consumer';
import { groupSession } from '../adapters/kafka/group-session';
import { ConsumerGroupLag } from '../adapters/kafka/consumer-group-lag';
import { registerDefault, resolvePort } from './port-registry';
import { connectInOrder } from './connect-in-order';
import { upOrDown, type BusDependencies, type RunningBus } from './running-bus';

// How long start-up waits for partitions once the broker answered: the service should be able to
// process what it accepts from its first request on.
const ASSIGNMENT_WAIT_MS = 30_000;

/**
 * Wires the kafkajs adapters and connects them: topics, producer, consumer group. A broker that
 * is down does not stop start-up: the connection is retried in the background while readiness
 * says 503. Resolves once connected and assigned, or at the first failed attempt.
 */
export async function startKafkaBus(
  container: DependencyContainer,
  config: Config,
  deps: BusDependencies,
): Promise<RunningBus> {
  const { kafka: settings } = config;
  const kafka = createKafka(settings, deps.logger);
  const partitions = new ChosenPartitions();
  const producer = createEventProducer(kafka, partitions);
  const publisher = registerPublishers(container, producer, partitions, config);
  const consumer = createConsumer(kafka, container, settings, deps);
  const groupLag = new ConsumerGroupLag(kafka, settings.groupId, settings.topic);
  let weakTopics: readonly string[] = [];
  const createTopics = async () => {
    const topics = [settings.topic, settings.dlqTopic];
    weakTopics = await ensureTopics(kafka, topics, settings.topicPartitions, settings.replication);
    for (const finding of weakTopics) deps.logger.warn({ finding }, 'topic weaker than configured');
  };
  const connecting = connectInOrder(
    [
      ['create the topics', createTopics],
      ['connect the producer', () => producer.connect()],
      ['start the consumer', () => consumer.start()],
    ],
    deps.logger,
  );
  await Promise.race([
    connecting.connected.then((ok) => ok && consumer.awaitAssignment(ASSIGNMENT_WAIT_MS)),
    connecting.firstFailure,
  ]);

  return {
    checks: () => ({
      producer: upOrDown(publisher.isConnected()),
      consumer: upOrDown(consumer.isAssigned()),
      // Degraded, not down: the topics work, with less durability than configured (logged).
      topics: weakTopics.length > 0 ? 'degraded' : 'up',
      // Degraded, not down: valid events are still taken and processed. Every instance shares
      // the DLQ, so taking them all out of service for it would stop the intake too.
      deadLetterQueue: consumer.deadLettersWaiting() > 0 ? 'degraded' : 'up',
    }),
    lag: () => groupLag.read(),
    stop: async () => {
      await connecting.stop();
      await consumer.stop();
      await groupLag.close();
      await producer.disconnect();
    },
  };
}

/** Registers the event publisher and the dead-letter publisher, both writing through `producer`. */
function registerPublishers(
  container: DependencyContainer,
  producer: Producer,
  partitions: ChosenPartitions,
  { kafka: settings, publishTimeoutMs, maxPendingEvents }: Config,
): KafkaEventPublisher {
  // Created before connecting, so that it sees the producer's connect event.
  const publisher = new KafkaEventPublisher(producer, partitions, {
    topic: settings.topic,
    source: `urn:user-events-service:${settings.clientId}`,
    publishTimeoutMs,
    maxPendingEvents,
  });
  registerDefault(container, EVENT_PUBLISHER, () => publisher);
  registerDefault(
    container,
    DEAD_LETTER_PUBLISHER,
    () =>
      new KafkaDeadLetterPublisher(
        producer,
        settings.dlqTopic,
        resolvePort(container, CLOCK),
        publishTimeoutMs,
      ),
  );
  return publisher;
}

function createConsumer(
  kafka: Kafka,
  container: DependencyContainer,
  settings: Config['kafka'],
  deps: BusDependencies,
): KafkaEventConsumer {
  return new KafkaEventConsumer(
    kafka.consumer({
      groupId: settings.groupId,
      allowAutoTopicCreation: false,
      ...groupSession(settings.sessionTimeoutMs),
    }),
    deps.processEvent,
    resolvePort(container, DEAD_LETTER_PUBLISHER),
    {
      topic: settings.topic,
      concurrentPartitions: settings.topicPartitions,
      redelivery: deps.redelivery,
      onFatal: deps.onFatal,
    },
    deps,
  );
}
