import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Message, Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterPublisher } from '../../application/dead-letter-publisher.port';
import type { PublishFailure } from '../../application/event-publisher.port';
import type { Clock } from '../../application/clock.port';
import type { RecordLocation } from '../../application/record-location';
import { kafkaHeaders, recordBytes } from './user-event-record';
import { sendsFor, type CoalescedSends, type TopicWrites } from './coalesced-sends';
import type { ChosenPartitions } from './kafka-client';

// A dead letter carries one record: a request of them stays far below the broker's limits.
const MAX_REQUEST = { records: 500, bytes: 512 * 1024 };

/**
 * Writes dead letters to the DLQ topic with the original key, value and headers, byte for byte,
 * and the dlq-* headers that say why and where from. Letters of several partitions written at
 * once share produce requests, as events do. A write not acknowledged within `timeoutMs` counts
 * as failed, and is tried again by the caller: it may then be on the DLQ twice, never lost.
 */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  private readonly sends: CoalescedSends;

  constructor(
    producer: Producer,
    partitions: ChosenPartitions,
    private readonly clock: Clock,
    private readonly settings: TopicWrites,
  ) {
    this.sends = sendsFor(producer, partitions, settings, MAX_REQUEST);
  }

  publish(letter: DeadLetter): TaskEither<PublishFailure, RecordLocation> {
    return async () => {
      const record = this.recordOf(letter);
      const written = await this.sends.write(
        [record],
        recordBytes(record),
        this.settings.timeoutMs,
      );
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

  private recordOf(letter: DeadLetter): Message {
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
