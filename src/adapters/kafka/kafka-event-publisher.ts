import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import { CompressionTypes, type Producer } from 'kafkajs';
import type {
  EventPublisher,
  PublishContext,
  PublishFailure,
} from '../../application/event-publisher.port';
import type { UserEvent } from '../../domain/user-event';
import { toRecord } from './user-event-record';
import { withDeadline } from './deadline';
import { errorMessage } from '../shared/error-message';

export interface KafkaPublishSettings {
  readonly topic: string;
  /** CloudEvents `source` of every event this service publishes. */
  readonly source: string;
  readonly publishTimeoutMs: number;
}

/** Publishes events through a connected producer, acknowledged by all in-sync replicas. */
export class KafkaEventPublisher implements EventPublisher {
  private connected = false;

  constructor(
    private readonly producer: Producer,
    private readonly settings: KafkaPublishSettings,
  ) {
    producer.on(producer.events.CONNECT, () => (this.connected = true));
    producer.on(producer.events.DISCONNECT, () => (this.connected = false));
  }

  /** Whether the producer holds a connection to the cluster; used by readiness. */
  isConnected(): boolean {
    return this.connected;
  }

  publish(events: readonly UserEvent[], context: PublishContext): TaskEither<PublishFailure, void> {
    const { topic, source, publishTimeoutMs } = this.settings;
    return () =>
      withDeadline<E.Either<PublishFailure, void>>(
        this.producer
          .send({
            topic,
            acks: -1,
            timeout: publishTimeoutMs,
            compression: CompressionTypes.None,
            messages: events.map((event) => toRecord(event, source, context.requestId)),
          })
          .then(
            () => E.right(undefined),
            (cause: unknown) => E.left({ _tag: 'BrokerUnavailable', detail: errorMessage(cause) }),
          ),
        publishTimeoutMs,
        () => E.left({ _tag: 'PublishTimedOut', afterMs: publishTimeoutMs }),
      );
  }
}
