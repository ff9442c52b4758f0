import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { DeadLetter, DeadLetterPublisher } from '../../application/dead-letter-publisher.port';
import type { PublishFailure } from '../../application/event-publisher.port';
import type { Clock } from '../../application/clock.port';
import type { RecordLocation } from '../../application/record-location';
import { headerText, kafkaHeaders, type OutgoingRecord } from './user-event-record';
import type { RecordWrites } from './record-writes';
import type { RecordTracing } from './record-tracing';

/**
 * Writes dead letters to the DLQ topic with the original key, value and headers, byte for byte,
 * and the dlq-* headers that say why and where from. A write not acknowledged within the
 * writes' deadline counts as failed, and is tried again by the caller: it may then be on the DLQ
 * twice, never lost. Each write is a producer span in the context it is made in (the consumer span
 * of the record it was); the letter keeps the record's own trace context, as it keeps every
 * other header, so that a replay can link to it.
 */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  constructor(
    private readonly writes: RecordWrites,
    private readonly clock: Clock,
    private readonly tracing: RecordTracing,
  ) {}

  publish(letter: DeadLetter): TaskEither<PublishFailure, RecordLocation> {
    return async () => {
      const sends = this.tracing.sendingRecords([
        { messageId: headerText(letter.headers, 'ce_id'), key: letter.key?.toString('utf8') },
      ]);
      const written = await this.writes.write([this.recordOf(letter)]);
      sends.end(written);
      return E.chain(([location]: readonly RecordLocation[]) =>
        location === undefined
          ? E.left<PublishFailure>({
              _tag: 'BrokerUnavailable',
              detail: 'the answer did not say where',
            })
          : E.right(location),
      )(written);
    };
  }

  private recordOf(letter: DeadLetter): OutgoingRecord {
    return {
      key: letter.key,
      value: letter.value,
      headers: {
        ...kafkaHeaders(letter.headers),
        'dlq-reason': letter.reason,
        'dlq-error': letter.error.slice(0, 500),
        'dlq-original-topic': letter.origin.topic,
        'dlq-original-partition': String(letter.origin.partition),
        'dlq-original-offset': letter.origin.offset,
        'dlq-failed-at': this.clock.now().toISOString(),
      },
    };
  }
}
