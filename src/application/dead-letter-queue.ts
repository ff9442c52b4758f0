import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import {
  DEAD_LETTERS,
  type DeadLetterFailure,
  type DeadLetterList,
  type DeadLetters,
  type ReplayedLetters,
} from './dead-letters.port';

/** What people do with the dead-letter queue: look at it, and replay from it. */
@injectable()
export class DeadLetterQueue {
  constructor(@inject(DEAD_LETTERS) private readonly letters: DeadLetters) {}

  /** The letters set aside, at most `limit` of them (GET /dead-letters, npm run dlq -- list). */
  list(limit: number): TaskEither<DeadLetterFailure, DeadLetterList> {
    return this.letters.list(limit);
  }

  /** Puts the letters named back on the event topic (POST /dead-letters/replay, npm run dlq). */
  replay(ids: readonly string[]): TaskEither<DeadLetterFailure, ReplayedLetters> {
    return this.letters.replay(ids);
  }
}
