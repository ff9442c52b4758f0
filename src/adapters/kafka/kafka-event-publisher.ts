import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Producer } from 'kafkajs';
import type {
  EventPublisher,
  PublishContext,
  PublishFailure,
} from '../../application/event-publisher.port';
import type { UserEvent } from '../../domain/user-event';
import { recordBytes, toRecord } from './user-event-record';
import { withDeadline } from './deadline';
import { CoalescedSends, TooManyPending, type CoalescingLimits } from './coalesced-sends';
import type { ChosenPartitions } from './kafka-client';
import type { RecordLocation } from '../../application/record-location';
import { errorMessage } from '../shared/error-message';

export interface KafkaPublishSettings {
  readonly topic: string;
  /** CloudEvents `source` of every event this service publishes. */
  readonly source: string;
  readonly publishTimeoutMs: number;
  /** Events waiting for the broker beyond which a publish is refused at once. */
  readonly maxPendingEvents: number;
}

// Well below the broker's default message.max.bytes (1 MiB per partition's batch), and enough
// records per request that a round trip carries thousands of events under load.
const MAX_REQUEST_RECORDS = 5000;
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Publishes events through a connected producer, acknowledged by all in-sync replicas.
 * Concurrent publishes share produce requests (CoalescedSends); each is answered by its own.
 */
export class KafkaEventPublisher implements EventPublisher {
  private connected = false;
  private readonly sends: CoalescedSends;

  constructor(
    producer: Producer,
    partitions: ChosenPartitions,
    private readonly settings: KafkaPublishSettings,
  ) {
    producer.on(producer.events.CONNECT, () => (this.connected = true));
    producer.on(producer.events.DISCONNECT, () => (this.connected = false));
    const limits: CoalescingLimits = {
      maxRecords: MAX_REQUEST_RECORDS,
      maxBytes: MAX_REQUEST_BYTES,
      maxPendingRecords: settings.maxPendingEvents,
    };
    this.sends = new CoalescedSends(
      producer,
      settings.topic,
      limits,
      settings.publishTimeoutMs,
      partitions,
    );
  }

  /** Whether the producer holds a connection to the cluster; used by readiness. */
  isConnected(): boolean {
    return this.connected;
  }

  publish(
    events: readonly UserEvent[],
    context: PublishContext,
  ): TaskEither<PublishFailure, readonly RecordLocation[]> {
    const { source, publishTimeoutMs } = this.settings;
    return () => {
      const records = events.map((event) => toRecord(event, source, context.requestId));
      return withDeadline<E.Either<PublishFailure, readonly RecordLocation[]>>(
        this.sends
          .send(
            records,
            records.reduce((total, record) => total + recordBytes(record), 0),
            publishTimeoutMs,
          )
          .then(
            (locations) => E.right(locations),
            (cause: unknown) => E.left(this.failureOf(cause)),
          ),
        publishTimeoutMs,
        () => E.left({ _tag: 'PublishTimedOut', afterMs: publishTimeoutMs }),
      );
    };
  }

  private failureOf(cause: unknown): PublishFailure {
    return cause instanceof TooManyPending
      ? { _tag: 'Overloaded', maxPendingEvents: this.settings.maxPendingEvents }
      : { _tag: 'BrokerUnavailable', detail: errorMessage(cause) };
  }
}
