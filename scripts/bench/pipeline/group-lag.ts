import { Kafka, logLevel } from 'kafkajs';
import { ConsumerGroupLag } from '../../../src/adapters/kafka/consumer-group-lag';
import { eventually } from '../../../test/support/eventually';
import { kafkajsGroupOffsets } from '../../../src/adapters/kafkajs/kafkajs-client';

/** A Kafka client of the bench's own (its admin, producers and lag readings). */
export const benchKafka = (brokers: readonly string[], clientId = 'bench'): Kafka =>
  new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });

/**
 * The committed lag of a consumer group on a topic, read the way the service reads its own
 * (ConsumerGroupLag: end offsets minus committed offsets, per partition), from the bench process.
 */
export class GroupLagWatch {
  private readonly lag: ConsumerGroupLag;

  constructor(brokers: readonly string[], groupId: string, topic: string) {
    this.lag = new ConsumerGroupLag(
      () => kafkajsGroupOffsets(benchKafka(brokers, 'bench-lag')),
      groupId,
      topic,
    );
  }

  /** Records not yet committed, over all partitions; undefined when the broker did not answer. */
  async total(): Promise<number | undefined> {
    const partitions = await this.lag.read();
    return partitions.length === 0
      ? undefined
      : partitions.reduce((sum, partition) => sum + partition.lag, 0);
  }

  /** Resolves when the group has committed every record (polled every 100 ms), with Date.now(). */
  untilZero(timeoutMs: number): Promise<number> {
    return eventually(
      'consumer group lag 0',
      async () => ((await this.total()) === 0 ? Date.now() : undefined),
      timeoutMs,
      100,
    );
  }

  close(): Promise<void> {
    return this.lag.close();
  }
}
