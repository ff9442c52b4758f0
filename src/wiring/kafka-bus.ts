import type { DependencyContainer } from 'tsyringe';
import type { Config } from '../config/config';
import { CLOCK } from '../application/clock.port';
import { EVENT_PUBLISHER } from '../application/event-publisher.port';
import { DEAD_LETTER_PUBLISHER } from '../application/dead-letter-publisher.port';
import type { KafkaClient } from '../adapters/kafka/kafka-client';
import { ensureTopics } from '../adapters/kafka/kafka-topics';
import { KafkaEventPublisher } from '../adapters/kafka/kafka-event-publisher';
import { WriteHealth } from '../adapters/kafka/write-health';
import { KafkaDeadLetterPublisher } from '../adapters/kafka/kafka-dead-letter-publisher';
import { RecordTracing } from '../adapters/kafka/record-tracing';
import { DEAD_LETTERS } from '../application/dead-letters.port';
import { kafkaDeadLettersOf } from './kafka-dead-letters-of';
import { topicWritesOf } from './topic-writes';
import type { TopicWrites } from '../adapters/kafka/record-writes';
import { registerDefault, resolvePort } from './port-registry';
import { connectInOrder, type ConnectStep, type Connecting } from './connect-in-order';
import { upOrDown, type AdapterSet, type Checks } from './adapter-set';
import type { BusSettings } from './bus-dependencies';
import { KafkaProcessing } from './kafka-processing';
import type { ServiceParts } from './service-parts';

// How long start-up waits for partitions once the broker answered: the service should be able to
// process what it accepts from its first request on.
const ASSIGNMENT_WAIT_MS = 30_000;

type KafkaConfig = Pick<Config, 'kafka' | 'publishTimeoutMs' | 'maxPendingEvents'>;

/**
 * The Kafka adapters of the parts this process runs, on the client library KAFKA_CLIENT chose:
 * the intake publishes events, the processing (KafkaProcessing) consumes them and writes dead
 * letters; both go through the client's one producer. A broker that is down does not stop start-up: topics, producer and consumer are
 * connected in the background while readiness says 503.
 */
export class KafkaBus implements AdapterSet {
  private readonly publisher: KafkaEventPublisher | undefined;
  private readonly processing: KafkaProcessing | undefined;
  private connecting: Connecting | undefined;
  private weakTopics: readonly string[] = [];
  private readonly writeHealth = new WriteHealth();

  constructor(
    private readonly client: KafkaClient,
    private readonly config: KafkaConfig,
    private readonly settings: BusSettings,
    parts: ServiceParts,
  ) {
    const { kafka } = config;
    this.publisher = parts.intake
      ? new KafkaEventPublisher(
          this.writeHealth.watching(client.producer.writesTo(this.writesTo(kafka.topic))),
          `urn:user-events-service:${kafka.clientId}`,
          new RecordTracing(settings.tracer, kafka.topic),
        )
      : undefined;
    this.processing = parts.processing ? new KafkaProcessing(client, kafka, settings) : undefined;
  }

  register(container: DependencyContainer): void {
    const { publisher } = this;
    if (publisher !== undefined) registerDefault(container, EVENT_PUBLISHER, () => publisher);
    registerDefault(container, DEAD_LETTERS, () =>
      kafkaDeadLettersOf(this.client, this.config, this.settings.tracer),
    );
    if (this.processing === undefined) return;
    registerDefault(
      container,
      DEAD_LETTER_PUBLISHER,
      (c) =>
        new KafkaDeadLetterPublisher(
          this.client.producer.writesTo(this.writesTo(this.config.kafka.dlqTopic)),
          resolvePort(c, CLOCK),
          new RecordTracing(this.settings.tracer, this.config.kafka.dlqTopic),
        ),
    );
  }

  private writesTo(topic: string): TopicWrites {
    return topicWritesOf(this.config, topic);
  }

  /** Resolves once connected (and assigned, where it processes), or at the first failed attempt. */
  async start(container: DependencyContainer): Promise<void> {
    const { processing } = this;
    const consumer = processing?.consumerOf(container);
    const steps: ConnectStep[] = [
      ['create the topics', () => this.createTopics()],
      ['connect the producer', () => this.client.producer.connect()],
    ];
    if (consumer !== undefined) steps.push(['start the consumer', () => consumer.start()]);
    const { trouble } = this.client;
    const connecting = connectInOrder(steps, {
      failed: (what, _attempt, error) => trouble.report(what, error),
      connected: () => trouble.clear(),
    });
    this.connecting = connecting;
    await Promise.race([
      connecting.connected.then((ok) => ok && consumer?.awaitAssignment(ASSIGNMENT_WAIT_MS)),
      connecting.settledOrFailedOnce,
    ]);
  }

  /** The checks of the parts this process runs, and of the topics every part uses. */
  async checks(): Promise<Checks> {
    const { publisher, processing } = this;
    const producerUp = this.client.producer.isUp() && !this.writeHealth.isDown();
    return {
      ...(publisher !== undefined && { producer: upOrDown(producerUp) }),
      ...(processing !== undefined && { consumer: upOrDown(processing.isAssigned()) }),
      // Degraded, not down: the topics work, with less durability than configured (logged).
      topics: this.weakTopics.length > 0 ? 'degraded' : 'up',
      // A worker's producer writes dead letters only, and events are processed without it: its
      // loss degrades the dead-letter queue rather than taking the worker out of service. Where
      // it also publishes events, `producer` says down for it already.
      ...(processing !== undefined && {
        deadLetterQueue: processing.deadLetterQueue(publisher === undefined && !producerUp),
      }),
    };
  }

  /** Why the cluster could not be reached, since the last failure until connected again. */
  async causes(): Promise<readonly string[]> {
    const reason = this.client.trouble.reason();
    return reason === undefined ? [] : [reason];
  }

  async stop(): Promise<void> {
    await this.connecting?.stop();
    await this.processing?.stop();
    await this.client.producer.disconnect();
  }

  private async createTopics(): Promise<void> {
    const { topic, dlqTopic, topicPartitions, replication } = this.config.kafka;
    const topics = [topic, dlqTopic];
    this.weakTopics = await ensureTopics(
      () => this.client.topicAdmin(),
      topics,
      topicPartitions,
      replication,
    );
    for (const finding of this.weakTopics)
      this.settings.logger.warn({ finding }, 'topic weaker than configured');
  }
}
