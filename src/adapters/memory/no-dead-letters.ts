import * as TE from 'fp-ts/TaskEither';
import type {
  DeadLetterFailure,
  DeadLetterList,
  DeadLetters,
  ReplayedLetters,
} from '../../application/dead-letters.port';

/**
 * The dead-letter queue of the in-memory bus, which has none: it delivers only events that were
 * valid when published, and one its store rejects is logged as abandoned (EVENT_BUS=memory is
 * not for events that matter). Nothing to list, and any id named for a replay is not found.
 */
export class NoDeadLetters implements DeadLetters {
  list(): TE.TaskEither<DeadLetterFailure, DeadLetterList> {
    return TE.right({ letters: [], complete: true });
  }

  replay(ids: readonly string[]): TE.TaskEither<DeadLetterFailure, ReplayedLetters> {
    return ids.length === 0
      ? TE.right({ replayed: [] })
      : TE.left({ _tag: 'LettersNotFound', ids });
  }
}
