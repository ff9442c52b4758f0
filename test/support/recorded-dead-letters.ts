import * as E from 'fp-ts/Either';
import type {
  DeadLetter,
  DeadLetterPublisher,
} from '../../src/application/dead-letter-publisher.port';
import type { RecordLocation } from '../../src/application/record-location';

/**
 * Dead letters written to memory, as a DLQ would keep them, each at the next offset of
 * partition 0; `refusing` makes every write fail, as a DLQ that is down. Held to the
 * DeadLetterPublisher contract like the Kafka adapter.
 */
export class RecordedDeadLetters implements DeadLetterPublisher {
  readonly letters: DeadLetter[] = [];
  attempts = 0;
  constructor(public refusing = false) {}

  publish(letter: DeadLetter) {
    return async () => {
      this.attempts += 1;
      if (this.refusing) return E.left({ _tag: 'BrokerUnavailable' as const, detail: 'refused' });
      this.letters.push(letter);
      return E.right({ partition: 0, offset: String(this.letters.length - 1) });
    };
  }

  /** Every letter written so far, with where it was written. */
  written(): ReadonlyArray<{ readonly location: RecordLocation; readonly letter: DeadLetter }> {
    return this.letters.map((letter, offset) => ({
      location: { partition: 0, offset: String(offset) },
      letter,
    }));
  }
}
