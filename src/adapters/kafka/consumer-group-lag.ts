import type { PartitionLag } from '../../application/service-metrics.port';
import { withDeadline } from './with-deadline';

/**
 * What reading a group's lag needs of a client library's admin connection; both kafkajs' admin
 * and librdkafka's KafkaJS-style one answer in these shapes.
 */
export interface GroupOffsets {
  fetchTopicOffsets(
    topic: string,
  ): Promise<ReadonlyArray<{ partition: number; high: string; low: string }>>;
  fetchOffsets(options: {
    groupId: string;
    topics: string[];
  }): Promise<ReadonlyArray<{ partitions: ReadonlyArray<{ partition: number; offset: string }> }>>;
  /** Deletes consumer groups that have no members left (a reader's throw-away group). */
  deleteGroups(groupIds: string[]): Promise<unknown>;
  disconnect(): Promise<void>;
}

/**
 * The consumer group's lag on `topic`, per partition: records after the committed offset (after
 * the start of the log when nothing was committed). Read through one admin connection, opened on
 * first use; answers empty rather than waiting when the broker does not answer within `timeoutMs`.
 */
export class ConsumerGroupLag {
  private admin: Promise<GroupOffsets> | undefined;

  constructor(
    private readonly openAdmin: () => Promise<GroupOffsets>,
    private readonly groupId: string,
    private readonly topic: string,
    private readonly timeoutMs = 2000,
  ) {}

  read(): Promise<readonly PartitionLag[]> {
    return withDeadline(
      this.lag().catch(() => []),
      this.timeoutMs,
      () => [],
    );
  }

  async close(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    this.admin = undefined;
    await admin?.disconnect();
  }

  private async lag(): Promise<PartitionLag[]> {
    const admin = await this.connected();
    const { topic, groupId } = this;
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committedOf = new Map(
      (committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]),
    );
    return ends
      .map(({ partition, high, low }) => {
        const from = committedOf.get(partition) ?? -1n;
        const start = from < 0n ? BigInt(low) : from;
        return { topic, partition, lag: Number(BigInt(high) - start) };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  private connected(): Promise<GroupOffsets> {
    this.admin ??= this.openAdmin().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }
}
