import type { DependencyContainer } from 'tsyringe';
import type { Kafka, Producer } from 'kafkajs';
import type { Config } from '../config/config';
import { CLOCK } from '../application/clock.port';
import { EVENT_PUBLISHER } from '../application/event-publisher.port';
import { DEAD_LETTER_PUBLISHER } from '../application/dead-letter-publisher.port';
import { SERVICE_METRICS } from '../application/service-metrics.port';
import { ChosenPartitions, createEventProducer, createKafka } from '../adapters/kafka/kafka-client';
import { ensureTopics } from '../adapters/kafka/kafka-topics';
import { KafkaEventPublisher } from '../adapters/kafka/kafka-event-publisher';
import { KafkaDeadLetterPublisher } from '../adapters/kafka/kafka-dead-letter-publisher';
import { KafkaEventConsumer } from '../adapters/kafka/kafka-event-consumer';
import { groupSession } from '../adapters/kafka/group-session';
import { ConsumerGroupLag } from '../adapters/kafka/consumer-group-lag';
import type { TopicWrites } from '../adapters/kafka/coalesced-sends';
import { registerDefault, resolvePort } from './port-registry';
import { connectInOrder, type Connecting } from './connect-in-order';
import { upOrDown, type AdapterSet, type Checks } from './adapter-set';
import { deliveryOf, type BusSettings } from './bus-dependencies';
import { DEAD_LETTER_WRITES, PRODUCE_RESENDS } from './retry-policies';

// How long start-up waits for partitions once the broker answered: the service should be able to
// process what it accepts from its first request on.
const ASSIGNMENT_WAIT_MS = 30_000;

type KafkaConfig = Pick<Config, 'kafka' | 'publishTimeoutMs' | 'maxPendingEvents'>;

/**
 * The kafkajs adapters: the publishers of events and dead letters share one producer, the
 * consumer group member delivers to ProcessEvent. A broker that is down does not stop start-up:
 * topics, producer and consumer are connected in the background while readiness says 503.
 */
export class KafkaBus implements AdapterSet {
  private readonly kafka: Kafka;
  private readonly partitions = new ChosenPartitions();
  private readonly producer: Producer;
  private readonly publisher: KafkaEventPublisher;
  private readonly groupLag: ConsumerGroupLag;
  private consumer: KafkaEventConsumer | undefined;
  private connecting: Connecting | undefined;
  private weakTopics: readonly string[] = [];

  constructor(
    private readonly config: KafkaConfig,
    private readonly settings: BusSettings,
  ) {
    const { kafka } = config;
    this.kafka = createKafka(kafka, settings.logger);
    this.producer = createEventProducer(this.kafka, this.partitions);
    // Made before connecting, so that it sees the producer's connect event.
    this.publisher = new KafkaEventPublisher(this.producer, this.partitions, {
      ...this.writesTo(kafka.topic),
      source: `urn:user-events-service:${kafka.clientId}`,
    });
    this.groupLag = new ConsumerGroupLag(this.kafka, kafka.groupId, kafka.topic);
  }

  register(container: DependencyContainer): void {
    registerDefault(container, EVENT_PUBLISHER, () => this.publisher);
    registerDefault(
      container,
      DEAD_LETTER_PUBLISHER,
      (c) =>
        new KafkaDeadLetterPublisher(
          this.producer,
          this.partitions,
          resolvePort(c, CLOCK),
          this.writesTo(this.config.kafka.dlqTopic),
        ),
    );
  }

  /** Events and dead letters alike: the publish deadline, the same bound, the same resends. */
  private writesTo(topic: string): TopicWrites {
    const { publishTimeoutMs, maxPendingEvents } = this.config;
    return {
      topic,
      timeoutMs: publishTimeoutMs,
      maxPendingRecords: maxPendingEvents,
      resends: PRODUCE_RESENDS,
    };
  }

  /** Resolves once connected and assigned, or at the first failed attempt. */
  async start(container: DependencyContainer): Promise<void> {
    const consumer = this.consumerOf(container);
    resolvePort(container, SERVICE_METRICS).measureLag(() => this.groupLag.read());
    const connecting = connectInOrder(
      [
        ['create the topics', () => this.createTopics()],
        ['connect the producer', () => this.producer.connect()],
        ['start the consumer', () => consumer.start()],
      ],
      this.settings.logger,
    );
    this.connecting = connecting;
    await Promise.race([
      connecting.connected.then((ok) => ok && consumer.awaitAssignment(ASSIGNMENT_WAIT_MS)),
      connecting.settledOrFailedOnce,
    ]);
  }

  async checks(): Promise<Checks> {
    return {
      producer: upOrDown(this.publisher.isConnected()),
      consumer: upOrDown(this.consumer?.isAssigned() ?? false),
      // Degraded, not down: the topics work, with less durability than configured (logged).
      topics: this.weakTopics.length > 0 ? 'degraded' : 'up',
      // Degraded, not down: valid events are still taken and processed. Every instance shares
      // the DLQ, so taking them all out of service for it would stop the intake too.
      deadLetterQueue: (this.consumer?.deadLettersWaiting() ?? 0) > 0 ? 'degraded' : 'up',
    };
  }

  async stop(): Promise<void> {
    await this.connecting?.stop();
    await this.consumer?.stop();
    await this.groupLag.close();
    await this.producer.disconnect();
  }

  private async createTopics(): Promise<void> {
    const { topic, dlqTopic, topicPartitions, replication } = this.config.kafka;
    const topics = [topic, dlqTopic];
    this.weakTopics = await ensureTopics(this.kafka, topics, topicPartitions, replication);
    for (const finding of this.weakTopics)
      this.settings.logger.warn({ finding }, 'topic weaker than configured');
  }

  private consumerOf(container: DependencyContainer): KafkaEventConsumer {
    const { groupId, topic, topicPartitions, sessionTimeoutMs } = this.config.kafka;
    const { processEvent, reports } = deliveryOf(container, this.settings.logger);
    this.consumer = new KafkaEventConsumer(
      this.kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        ...groupSession(sessionTimeoutMs),
      }),
      processEvent,
      resolvePort(container, DEAD_LETTER_PUBLISHER),
      {
        topic,
        concurrentPartitions: topicPartitions,
        retries: { storeRetries: this.settings.storeRetries, deadLetterWrites: DEAD_LETTER_WRITES },
        onFatal: this.settings.onFatal,
      },
      reports,
    );
    return this.consumer;
  }
}
