import type { Either } from 'fp-ts/Either';
import type { PublishFailure } from '../../application/event-publisher.port';
import type { RecordLocation } from '../../application/record-location';
import type { BackoffPolicy } from '../shared/retry-with-backoff';
import { errorMessage } from '../shared/error-message';
import type { OutgoingRecord } from './user-event-record';

/** What the writes to one topic are configured with, whichever client makes them. */
export interface TopicWrites {
  readonly topic: string;
  /** How long a caller waits for the broker's acknowledgement: the publish deadline. */
  readonly timeoutMs: number;
  /** Records waiting or with the broker beyond which a write is refused at once. */
  readonly maxPendingRecords: number;
  /** How a failed produce request is sent again within the deadline, where the client does not. */
  readonly resends: BackoffPolicy;
}

/**
 * Writes records to one topic through a client's producer: the one thing the event and
 * dead-letter publishers need of a Kafka client library.
 */
export interface RecordWrites {
  /**
   * Resolves Right once every record is acknowledged by all in-sync replicas, with where each
   * one was written, in their order; records of one key keep their order. Left Overloaded at
   * once when `maxPendingRecords` already wait, PublishTimedOut at the deadline, and
   * BrokerUnavailable when the broker refused them. Never rejects.
   */
  write(
    records: readonly OutgoingRecord[],
  ): Promise<Either<PublishFailure, readonly RecordLocation[]>>;
}

/** A write refused because `maxPendingRecords` were already waiting for the broker. */
export class TooManyPending extends Error {
  override readonly name = 'TooManyPending';
}

/** A write not acknowledged within its caller's time: it may still be written, or not. */
export class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';

  constructor(readonly afterMs: number) {
    super(`not acknowledged within ${afterMs} ms`);
  }
}

/** What a failed write means to the caller of a publisher: the one translation of them all. */
export const publishFailureOf = (cause: unknown, maxPendingRecords: number): PublishFailure =>
  cause instanceof TooManyPending
    ? { _tag: 'Overloaded', maxPendingEvents: maxPendingRecords }
    : cause instanceof DeadlinePassed
      ? { _tag: 'PublishTimedOut', afterMs: cause.afterMs }
      : { _tag: 'BrokerUnavailable', detail: errorMessage(cause) };
