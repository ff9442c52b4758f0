import type { DependencyContainer } from 'tsyringe';
import type { Config } from '../config/config';
import { DEAD_LETTER_PUBLISHER } from '../application/dead-letter-publisher.port';
import { SERVICE_METRICS } from '../application/service-metrics.port';
import { COMMIT_INTERVAL_MS, KafkaEventConsumer } from '../adapters/kafka/kafka-event-consumer';
import { ConsumerGroupLag } from '../adapters/kafka/consumer-group-lag';
import { RecordTracing } from '../adapters/kafka/record-tracing';
import type { KafkaClient } from '../adapters/kafka/kafka-client';
import type { CheckStatus } from '../adapters/http/health-routes';
import { resolvePort } from './port-registry';
import { deliveryOf, type BusSettings } from './bus-dependencies';
import { DEAD_LETTER_WRITES } from './retry-policies';

/**
 * The consuming part of the Kafka bus, in the processes that process (SERVICE_ROLE all and
 * worker): the consumer group member delivering to ProcessEvent and writing dead letters, and
 * the group's lag in the metrics. An api process has none of it, so it never joins the group.
 */
export class KafkaProcessing {
  private consumer: KafkaEventConsumer | undefined;
  private readonly groupLag: ConsumerGroupLag;

  constructor(
    private readonly client: KafkaClient,
    private readonly config: Config['kafka'],
    private readonly settings: BusSettings,
  ) {
    this.groupLag = new ConsumerGroupLag(() => client.groupOffsets(), config.groupId, config.topic);
  }

  /**
   * The group member, delivering to the container's ProcessEvent, not yet started; from now on
   * the metrics show the group's lag.
   */
  consumerOf(container: DependencyContainer): KafkaEventConsumer {
    const { groupId, topic, topicPartitions, sessionTimeoutMs } = this.config;
    const { processEvent, reports } = deliveryOf(container, this.settings.logger);
    resolvePort(container, SERVICE_METRICS).measureLag(() => this.groupLag.read());
    this.consumer = new KafkaEventConsumer(
      this.client.groupMember({
        groupId,
        topic,
        sessionTimeoutMs,
        concurrentPartitions: topicPartitions,
        commitIntervalMs: COMMIT_INTERVAL_MS,
        onFatal: this.settings.onFatal,
      }),
      processEvent,
      resolvePort(container, DEAD_LETTER_PUBLISHER),
      { storeRetries: this.settings.storeRetries, deadLetterWrites: DEAD_LETTER_WRITES },
      reports,
      new RecordTracing(this.settings.tracer, topic, groupId),
    );
    return this.consumer;
  }

  isAssigned(): boolean {
    return this.consumer?.isAssigned() ?? false;
  }

  /**
   * Degraded, not down, while dead letters wait for their write or `producerLost` (the producer
   * they go through is not connected): valid events are still processed. Every instance shares
   * the DLQ, so taking them all out of service for it would stop the processing too.
   */
  deadLetterQueue(producerLost: boolean): CheckStatus {
    const waiting = this.consumer?.deadLettersWaiting() ?? 0;
    return waiting > 0 || producerLost ? 'degraded' : 'up';
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.groupLag.close();
  }
}
