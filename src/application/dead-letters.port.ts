import type { TaskEither } from 'fp-ts/TaskEither';
import { portToken } from './port-token';

/**
 * A record set aside on the dead-letter queue, as people read it. `id` names it for a replay
 * (for Kafka: `partition:offset` on the DLQ topic); the other fields are what the DLQ recorded,
 * absent where the record does not say.
 */
export interface DeadLetterEntry {
  readonly id: string;
  readonly eventId: string | undefined;
  readonly key: string | null;
  readonly reason: string | undefined;
  readonly error: string | undefined;
  readonly failedAt: string | undefined;
  readonly originalTopic: string | undefined;
  readonly originalPartition: string | undefined;
  readonly originalOffset: string | undefined;
  /** The start of the record's value, as text: enough to recognise it, never all of it. */
  readonly value: string | null;
}

/** The letters read, by partition and offset; `complete` false: there may be more. */
export interface DeadLetterList {
  readonly letters: readonly DeadLetterEntry[];
  readonly complete: boolean;
}

/** Replayed: written back to the event topic, to be processed again (idempotently). */
export interface ReplayedLetters {
  readonly replayed: readonly string[];
}

export type DeadLetterFailure =
  /** The queue could not be read or written; nothing may be assumed replayed. */
  | { readonly _tag: 'DeadLettersUnavailable'; readonly detail: string }
  /** Some ids name no letter on the queue: nothing was replayed. */
  | { readonly _tag: 'LettersNotFound'; readonly ids: readonly string[] };

/** The dead-letter queue, for people: what is set aside, and putting it back. */
export interface DeadLetters {
  /** At most `limit` letters. */
  list(limit: number): TaskEither<DeadLetterFailure, DeadLetterList>;
  /**
   * Writes the letters named by `ids` back to the event topic as they first arrived (key, value
   * and headers byte for byte), all of them or, when one is not found, none. A letter stays on
   * the queue: replaying it twice is safe, processing is idempotent by eventId.
   */
  replay(ids: readonly string[]): TaskEither<DeadLetterFailure, ReplayedLetters>;
}

export const DEAD_LETTERS = portToken<DeadLetters>('DeadLetters');
