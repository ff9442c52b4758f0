import type { KafkaJS, LibrdKafkaError, TopicPartition } from '@confluentinc/kafka-javascript';
import type { BatchPayload, GroupMember, GroupMemberSettings } from '../kafka/kafka-client';
import { withDeadline } from '../kafka/with-deadline';

// librdkafka's codes for the two halves of a rebalance.
const ASSIGN_PARTITIONS = -175;
// The most records one batch hands over: a chunk of the event consumer.
const MAX_BATCH_RECORDS = 500;
// What librdkafka fetches ahead, per partition. Its defaults (100,000 records, 64 MiB) took a
// drain of 200,000 records to 1.1 GB resident; these to 370 MB, with lag 0 as soon (10.3 s
// against 10.4-11.4 s, 3 partitions, this machine). Fewer ahead (2,000) starves the workers.
const FETCHED_AHEAD = { 'queued.min.messages': 5000, 'queued.max.messages.kbytes': 8192 };
// A topic the service has just created may be unknown yet to the node that answers the group's
// first metadata request (each node learns it from the quorum in its own time): the group then
// assigns none of its partitions until librdkafka looks again, by default after 5 minutes.
const METADATA_REFRESH_MS = 5000;

/**
 * The native consumer under the KafkaJS-style one, which it hands out untyped: the only place a
 * fatal error shows, since the KafkaJS-style consumer logs every error and goes on.
 */
interface NativeConsumerHolder {
  _getInternalClient(): {
    on(event: 'event.error', listener: (error: LibrdKafkaError) => void): unknown;
  };
}

/**
 * librdkafka's consumer, through its KafkaJS-style API, as a group member: the same eachBatch
 * contract as kafkajs (a batch per partition, several partitions at once, offsets committed as
 * resolved, a rejected batch delivered again from its first unresolved record). Heartbeats go
 * from librdkafka's own thread, so the payload's heartbeat does nothing. The rebalance callback
 * says whether this member holds partitions. librdkafka retries every error itself but a fatal
 * one (a member fenced for good), which is reported as `onFatal`, or the member would stall
 * silently.
 */
export class LibrdkafkaGroupMember implements GroupMember {
  private readonly consumer: KafkaJS.Consumer;
  private assigned = false;
  private leaving = false;
  private readonly joined = new Set<(assigned: boolean) => void>();

  constructor(
    kafka: KafkaJS.Kafka,
    private readonly settings: GroupMemberSettings,
  ) {
    this.consumer = kafka.consumer({
      kafkaJS: {
        groupId: settings.groupId,
        fromBeginning: true,
        autoCommit: true,
        autoCommitInterval: settings.commitIntervalMs,
        sessionTimeout: settings.sessionTimeoutMs,
        heartbeatInterval: Math.floor(settings.sessionTimeoutMs / 10),
        allowAutoTopicCreation: false,
      },
      'js.consumer.max.batch.size': MAX_BATCH_RECORDS,
      'topic.metadata.refresh.interval.ms': METADATA_REFRESH_MS,
      ...FETCHED_AHEAD,
      rebalance_cb: (error: LibrdKafkaError, assignment: TopicPartition[]) =>
        this.rebalanced(error, assignment),
    });
  }

  async run(eachBatch: (payload: BatchPayload) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    (this.consumer as unknown as NativeConsumerHolder)
      ._getInternalClient()
      .on('event.error', (error) => {
        if (error.isFatal !== true || this.leaving) return;
        this.assigned = false;
        this.settings.onFatal(new Error(error.message, { cause: error }));
      });
    await this.consumer.subscribe({ topics: [this.settings.topic] });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.settings.concurrentPartitions,
      eachBatchAutoResolve: false,
      eachBatch,
    });
  }

  isAssigned(): boolean {
    return this.assigned;
  }

  awaitAssignment(timeoutMs: number): Promise<boolean> {
    if (this.assigned) return Promise.resolve(true);
    let listener: (assigned: boolean) => void = () => undefined;
    const joined = new Promise<boolean>((resolve) => this.joined.add((listener = resolve)));
    return withDeadline(joined, timeoutMs, () => false).finally(() => this.joined.delete(listener));
  }

  async leave(): Promise<void> {
    this.leaving = true;
    this.assigned = false;
    await this.consumer.disconnect();
  }

  private rebalanced(error: LibrdKafkaError, assignment: readonly TopicPartition[]): void {
    this.assigned =
      error.code === ASSIGN_PARTITIONS &&
      assignment.some((part) => part.topic === this.settings.topic);
    if (this.assigned) for (const listener of this.joined) listener(true);
  }
}
