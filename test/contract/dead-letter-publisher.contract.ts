import { expect } from 'chai';
import { isLeft } from 'fp-ts/Either';
import type {
  DeadLetter,
  DeadLetterPublisher,
  DeadLetterReason,
} from '../../src/application/dead-letter-publisher.port';
import type { RecordLocation } from '../../src/application/record-location';
import { unique } from '../support/unique';
import { right } from '../support/right';

/** A letter as its destination holds it, read back from there. */
export interface WrittenLetter {
  readonly location: RecordLocation;
  readonly letter: DeadLetter;
}

export interface DeadLetterPublisherUnderTest {
  readonly publisher: DeadLetterPublisher;
  /** Every letter the destination holds now, read from the destination itself. */
  readonly written: () => Promise<readonly WrittenLetter[]>;
  /** A publisher of the same kind whose destination cannot be reached, and its time bound. */
  readonly unreachable: () => Promise<{ publisher: DeadLetterPublisher; answersWithinMs: number }>;
  readonly stop: () => Promise<void>;
}

const REASONS: readonly DeadLetterReason[] = [
  'malformed',
  'schema-violation',
  'store-rejected',
  'retries-exhausted',
];

const aDeadLetter = (overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  key: Buffer.from(unique('user')),
  value: Buffer.from('{"not":"an event"'),
  headers: {},
  reason: 'malformed',
  error: 'Unexpected end of JSON input',
  origin: { topic: unique('events'), partition: 2, offset: '41' },
  ...overrides,
});

/**
 * What every DeadLetterPublisher promises: Right only once the letter is written, with where,
 * and the letter there as it was given; a Left, in bounded time and never a rejection, when the
 * destination cannot be reached.
 */
export function deadLetterPublisherContract(
  name: string,
  make: () => Promise<DeadLetterPublisherUnderTest>,
): void {
  describe(`${name} honours the DeadLetterPublisher contract`, function () {
    this.timeout(60_000);
    let underTest: DeadLetterPublisherUnderTest;
    before(async () => (underTest = await make()));
    after(async () => underTest?.stop());

    /** What the destination holds at `location`, read as soon as the publisher answered. */
    const writtenAt = async (location: RecordLocation) =>
      (await underTest.written()).find(
        (written) =>
          written.location.partition === location.partition &&
          written.location.offset === location.offset,
      )?.letter;

    it('answers Right once written, and the letter is where it said, byte for byte', async () => {
      const letter = aDeadLetter({
        key: Buffer.from([0xff, 0x00, 0xfe]),
        value: Buffer.from([0xc3, 0x28, 0x00, 0x7b]),
        headers: {
          'ce-id': [Buffer.from('one'), Buffer.from([0xff, 0xfe])],
          traceparent: [Buffer.from('00-abc-def-01')],
        },
        origin: { topic: unique('events'), partition: 0, offset: '9223372036854775807' },
      });
      const location = right(await underTest.publisher.publish(letter)());
      expect(await writtenAt(location)).to.deep.equal(letter);
    });

    it('writes a letter with neither key nor value nor headers as it is', async () => {
      const letter = aDeadLetter({ key: null, value: null, headers: {} });
      const location = right(await underTest.publisher.publish(letter)());
      expect(await writtenAt(location)).to.deep.equal(letter);
    });

    it('answers each of many concurrent writes with its own place, every reason kept', async () => {
      const letters = Array.from({ length: 20 }, (_, n) =>
        aDeadLetter({
          key: Buffer.from(unique('user')),
          reason: REASONS[n % REASONS.length],
          error: `failure ${n}`,
          origin: { topic: 'events', partition: n % 3, offset: String(1000 + n) },
        }),
      );
      const locations = await Promise.all(
        letters.map(async (letter) => right(await underTest.publisher.publish(letter)())),
      );
      const places = new Set(locations.map(({ partition, offset }) => `${partition}/${offset}`));
      expect(places.size, 'every letter has a place of its own').to.equal(letters.length);
      const written = await Promise.all(locations.map(writtenAt));
      expect(written).to.deep.equal(letters);
    });

    it('answers Left within its bound, never rejecting, when the destination is unreachable', async () => {
      const { publisher, answersWithinMs } = await underTest.unreachable();
      const started = Date.now();
      const answer = await publisher.publish(aDeadLetter())();
      expect(isLeft(answer), JSON.stringify(answer)).to.equal(true);
      // The answer is due at the bound; two shared cores may be late with it by as much again
      // (and a second, for a bound of none).
      expect(Date.now() - started).to.be.below(2 * answersWithinMs + 1000);
    });
  });
}
