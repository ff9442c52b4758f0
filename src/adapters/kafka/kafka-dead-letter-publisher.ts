import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterPublisher } from '../../application/dead-letter-publisher.port';
import type { PublishFailure } from '../../application/event-publisher.port';
import type { Clock } from '../../application/clock.port';
import type { RecordLocation } from '../../application/record-location';
import { errorMessage } from '../shared/error-message';
import { kafkaHeaders } from './user-event-record';
import { withDeadline } from './deadline';

/**
 * Writes dead letters to the DLQ topic with the original key, value and headers, byte for byte,
 * and the dlq-* headers that say why and where from.
 */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly dlqTopic: string,
    private readonly clock: Clock,
    /** A write not acknowledged by then counts as failed and is tried again by the caller. */
    private readonly writeTimeoutMs: number,
  ) {}

  publish(letter: DeadLetter): TaskEither<PublishFailure, RecordLocation> {
    // A write given up on may still land: the letter may then be on the DLQ twice, never lost.
    return () =>
      withDeadline(this.write(letter), this.writeTimeoutMs, () =>
        E.left({ _tag: 'PublishTimedOut', afterMs: this.writeTimeoutMs }),
      );
  }

  private write(letter: DeadLetter): Promise<E.Either<PublishFailure, RecordLocation>> {
    return this.producer
      .send({
        topic: this.dlqTopic,
        acks: -1,
        messages: [
          {
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
          },
        ],
      })
      .then(
        ([written]): E.Either<PublishFailure, RecordLocation> =>
          written?.baseOffset === undefined
            ? // Written, but not known where: written again, the letter is on the DLQ twice.
              E.left({ _tag: 'BrokerUnavailable', detail: 'the answer did not say where' })
            : E.right({ partition: written.partition, offset: written.baseOffset }),
        (cause: unknown) => E.left({ _tag: 'BrokerUnavailable', detail: errorMessage(cause) }),
      );
  }
}
