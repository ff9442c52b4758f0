import type { TopicAdmin } from './kafka-topics';
import type { GroupOffsets } from './consumer-group-lag';
import type { RecordWrites, TopicWrites } from './record-writes';
import type { DeliveredRecord } from './user-event-record';
import type { KafkaTrouble } from './connection-trouble';

/** Where a client connects, what it calls itself there and how it proves who it is. */
export interface KafkaClientSettings {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** Plaintext and anonymous when absent. */
  readonly security?: KafkaSecurity;
}

/** TLS and SASL, independent of each other as Kafka's security protocols are. */
export interface KafkaSecurity {
  /** TLS, trusting `ca` (PEM) instead of Node's list, presenting `cert` and `key` when given. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
}

/**
 * What the service needs of a Kafka client library. Everything the service does with Kafka (the
 * records it writes and reads, their headers, when offsets are committed, what a failure means)
 * is written once against it, in this folder; adapters/kafkajs and adapters/librdkafka are the
 * two implementations, and KAFKA_CLIENT chooses one.
 */
export interface KafkaClient {
  /** An admin connection for creating and checking topics, to be closed by its user. */
  topicAdmin(): Promise<TopicAdmin>;
  /** The one producer this client writes events and dead letters with. */
  readonly producer: ClientProducer;
  /** A member of a consumer group, not joined yet. */
  groupMember(settings: GroupMemberSettings): GroupMember;
  /** An admin connection for reading a group's committed offsets, to be closed by its user. */
  groupOffsets(): Promise<GroupOffsets>;
  /** Why the client cannot reach the cluster, as its library reports it and its users add to. */
  readonly trouble: KafkaTrouble;
}

export interface ClientProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Holds a connection to the cluster, as the client itself says. */
  isUp(): boolean;
  /** Writes to one topic, bounded and timed as `settings` says. */
  writesTo(settings: TopicWrites): RecordWrites;
}

export interface GroupMemberSettings {
  readonly groupId: string;
  readonly topic: string;
  /** How long the group waits for a silent member before its partitions go to the others. */
  readonly sessionTimeoutMs: number;
  /** Partitions handled at once; one partition's batches are always handled in order. */
  readonly concurrentPartitions: number;
  /** How often resolved offsets are committed, besides at the end of each batch. */
  readonly commitIntervalMs: number;
  /** Called when the member failed for good and the client will not restart it. */
  readonly onFatal: (error: Error) => void;
}

/** Consecutive records of one partition, as the client fetched them. */
export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly DeliveredRecord[];
}

/** A batch and what its handler may do meanwhile, as kafkajs' eachBatch gives them. */
export interface BatchPayload {
  readonly batch: RecordBatch;
  /** Marks the records up to `offset` as done: committed with the next commit. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** Commits the resolved offsets if the commit interval has passed. */
  commitOffsetsIfNecessary(): Promise<void>;
  isRunning(): boolean;
  /** The partition was taken away since the batch was fetched. */
  isStale(): boolean;
}

/** One member of a consumer group, delivering its partitions' batches to one handler. */
export interface GroupMember {
  /**
   * Joins the group (a new group starts at the earliest offset) and hands each fetched batch to
   * `eachBatch`; from then on the client keeps the membership. Offsets are committed only as
   * resolved; a batch whose handler rejects is delivered again from its first unresolved record.
   */
  run(eachBatch: (payload: BatchPayload) => Promise<void>): Promise<void>;
  /** The group assigned partitions of the topic to this member. */
  isAssigned(): boolean;
  /** Resolves true once assigned, false after `timeoutMs`. */
  awaitAssignment(timeoutMs: number): Promise<boolean>;
  /** Commits what was resolved and leaves the group. */
  leave(): Promise<void>;
}
