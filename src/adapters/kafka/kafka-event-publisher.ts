import type { TaskEither } from 'fp-ts/TaskEither';
import type { Producer } from 'kafkajs';
import type {
  EventPublisher,
  PublishContext,
  PublishFailure,
} from '../../application/event-publisher.port';
import type { UserEvent } from '../../domain/user-event';
import type { RecordLocation } from '../../application/record-location';
import { recordBytes, toRecord } from './user-event-record';
import { sendsFor, type CoalescedSends, type TopicWrites } from './coalesced-sends';
import type { ChosenPartitions } from './kafka-client';

export interface KafkaPublishSettings extends TopicWrites {
  /** CloudEvents `source` of every event this service publishes. */
  readonly source: string;
}

// Well below the broker's default message.max.bytes (1 MiB per partition's batch), and enough
// records per request that a round trip carries thousands of events under load.
const MAX_REQUEST = { records: 5000, bytes: 512 * 1024 };

/**
 * Publishes events through a connected producer, acknowledged by all in-sync replicas.
 * Concurrent publishes share produce requests (CoalescedSends); each is answered by its own.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly sends: CoalescedSends;

  constructor(
    producer: Producer,
    partitions: ChosenPartitions,
    private readonly settings: KafkaPublishSettings,
  ) {
    this.sends = sendsFor(producer, partitions, settings, MAX_REQUEST);
  }

  publish(
    events: readonly UserEvent[],
    context: PublishContext,
  ): TaskEither<PublishFailure, readonly RecordLocation[]> {
    const { source, timeoutMs } = this.settings;
    return () => {
      const records = events.map((event) => toRecord(event, source, context.requestId));
      const bytes = records.reduce((total, record) => total + recordBytes(record), 0);
      return this.sends.write(records, bytes, timeoutMs);
    };
  }
}
