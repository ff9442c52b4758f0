import type { TaskEither } from 'fp-ts/TaskEither';
import type {
  EventPublisher,
  PublishContext,
  PublishFailure,
} from '../../application/event-publisher.port';
import type { UserEvent } from '../../domain/user-event';
import type { RecordLocation } from '../../application/record-location';
import { toRecord } from './user-event-record';
import type { RecordWrites } from './record-writes';

/**
 * Publishes events as CloudEvents records, acknowledged by all in-sync replicas, through the
 * writes of whichever client library KAFKA_CLIENT chose.
 */
export class KafkaEventPublisher implements EventPublisher {
  constructor(
    private readonly writes: RecordWrites,
    /** CloudEvents `source` of every event this service publishes. */
    private readonly source: string,
  ) {}

  publish(
    events: readonly UserEvent[],
    context: PublishContext,
  ): TaskEither<PublishFailure, readonly RecordLocation[]> {
    return () =>
      this.writes.write(events.map((event) => toRecord(event, this.source, context.requestId)));
  }
}
