import type { TaskEither } from 'fp-ts/TaskEither';
import { portToken } from './port-token';
import type { PublishFailure } from './event-publisher.port';
import type { RecordLocation } from './record-location';

export type DeadLetterReason =
  'malformed' | 'schema-violation' | 'store-rejected' | 'retries-exhausted';

/**
 * A record's headers as they arrived: each name's values, in order, as bytes. Bytes, not text:
 * a header value need not be UTF-8, and a dead letter must be replayable as it was.
 */
export type RecordHeaders = Readonly<Record<string, readonly Buffer[]>>;

/** A delivered record that processing gave up on, exactly as it arrived. */
export interface DeadLetter {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
  readonly reason: DeadLetterReason;
  /** Short and free of stack traces: it is stored with the record for people to read. */
  readonly error: string;
  readonly origin: { readonly topic: string; readonly partition: number; readonly offset: string };
}

/**
 * Sets records aside for people to inspect and replay. Safe to call concurrently: each call is
 * answered on its own, and calls for several partitions may share one write.
 */
export interface DeadLetterPublisher {
  /**
   * Resolves Right only once the dead letter is durably written, with where it was written, so
   * the caller may then mark the original record as done. What is written there is the letter as
   * given: key, value and headers byte for byte (each header's values in order), with the reason,
   * the error and the origin beside them.
   *
   * Left means nothing may be assumed written: keep the original and try again later. A write
   * given up on may still land, so one letter may be set aside twice, never lost. Answers within
   * a bounded time: Left when the write was not confirmed by then (the destination unreachable or
   * overloaded). Never rejects: every failure is a Left.
   */
  publish(letter: DeadLetter): TaskEither<PublishFailure, RecordLocation>;
}

export const DEAD_LETTER_PUBLISHER = portToken<DeadLetterPublisher>('DeadLetterPublisher');
