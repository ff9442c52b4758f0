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
import type { RecordTracing } from './record-tracing';

/**
 * Publishes events as CloudEvents records, acknowledged by all in-sync replicas, through the
 * writes of whichever client library KAFKA_CLIENT chose; each event's record carries the context
 * of its own producer span, whatever produce request the client puts it in.
 */
export class KafkaEventPublisher implements EventPublisher {
  constructor(
    private readonly writes: RecordWrites,
    /** CloudEvents `source` of every event this service publishes. */
    private readonly source: string,
    private readonly tracing: RecordTracing,
  ) {}

  publish(
    events: readonly UserEvent[],
    context: PublishContext,
  ): TaskEither<PublishFailure, readonly RecordLocation[]> {
    return async () => {
      const sends = this.tracing.sending(events);
      const written = await this.writes.write(
        events.map((event, index) =>
          toRecord(event, this.source, context.requestId, sends.headers[index]),
        ),
      );
      sends.end(written);
      return written;
    };
  }
}
