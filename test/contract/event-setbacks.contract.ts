import { expect } from 'chai';
import { isRight } from 'fp-ts/Either';
import * as O from 'fp-ts/Option';
import type { EventSetbacks, ReportedSetback } from '../../src/application/event-setbacks.port';
import { latestSetback } from '../../src/application/event-status';
import type {
  ProcessedEventStore,
  Setback,
} from '../../src/application/processed-event-store.port';
import type { EventId } from '../../src/domain/event-fields';
import { aUserEvent } from '../support/builders';
import { eventually } from '../support/eventually';

/** Setbacks as the service wires them: over a store, stamped by a clock the test sets. */
export interface SetbacksUnderTest {
  readonly setbacks: EventSetbacks;
  readonly store: ProcessedEventStore;
  /** The time the clock answers from now on. */
  readonly setNow: (at: Date) => void;
}

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, second));
const anId = (): EventId => aUserEvent().eventId;
const retrying = (attempts: number): ReportedSetback => ({
  kind: 'retrying',
  attempts,
  error: 'connection refused',
});
const deadLettered: ReportedSetback = {
  kind: 'dead-lettered',
  reason: 'retries-exhausted',
  error: 'connection refused',
  deadLetter: { partition: 1, offset: '17' },
};
const stamped = (setback: ReportedSetback, second: number) =>
  ({ ...setback, at: at(second) }) as Setback;

/**
 * What every EventSetbacks promises, seen as an event's status sees it: the later of this
 * instance's `find` and the store's latest setback (the store may take a moment: its write is not
 * awaited). `make` answers setbacks over a working store; `makeWithFailingStore`, for those that
 * keep a copy for the store's outages, one over a store whose every setback read and write fails.
 */
export function eventSetbacksContract(
  name: string,
  make: () => Promise<SetbacksUnderTest>,
  makeWithFailingStore?: () => Promise<SetbacksUnderTest>,
): void {
  describe(`${name} honours the EventSetbacks contract`, () => {
    let underTest: SetbacksUnderTest;
    beforeEach(async () => {
      underTest = await make();
      underTest.setNow(at(0));
    });

    const seen = async ({ setbacks, store }: SetbacksUnderTest, eventId: EventId) => {
      const stored = await store.findSetback(eventId)();
      const fromStore = isRight(stored) ? O.toUndefined(stored.right) : undefined;
      return latestSetback(setbacks.find(eventId), fromStore);
    };
    /** Waits until the status would show `expected`, then checks it once more. */
    const expectSeen = async (eventId: EventId, expected: Setback | undefined) => {
      const matches = async () => {
        const found = await seen(underTest, eventId);
        return JSON.stringify(found) === JSON.stringify(expected) || undefined;
      };
      await eventually(`setback ${JSON.stringify(expected)}`, matches, 5000).catch(() => false);
      expect(await seen(underTest, eventId)).to.deep.equal(expected);
    };

    it('shows each reported event held back by that setback, stamped with the time', async () => {
      const [one, two] = [anId(), anId()];
      underTest.setNow(at(5));
      underTest.setbacks.report([one, two], retrying(1));
      await expectSeen(one, stamped(retrying(1), 5));
      await expectSeen(two, stamped(retrying(1), 5));
      await expectSeen(anId(), undefined);
    });

    it('shows the later of two reports of one event', async () => {
      const eventId = anId();
      underTest.setbacks.report([eventId], retrying(1));
      await expectSeen(eventId, stamped(retrying(1), 0));
      underTest.setNow(at(7));
      underTest.setbacks.report([eventId], deadLettered);
      await expectSeen(eventId, stamped(deadLettered, 7));
    });

    it('shows the later report even when the clock stepped back between the two', async () => {
      const eventId = anId();
      underTest.setNow(at(30));
      underTest.setbacks.report([eventId], retrying(1));
      underTest.setNow(at(10));
      underTest.setbacks.report([eventId], deadLettered);
      // Stamped no earlier than the report it replaces, so every store keeps it.
      await expectSeen(eventId, stamped(deadLettered, 30));
      underTest.setNow(at(40));
      underTest.setbacks.report([eventId], retrying(2));
      await expectSeen(eventId, stamped(retrying(2), 40));
    });

    it('finds nothing of its own for settled events, and keeps every other', async () => {
      const [settled, held] = [anId(), anId()];
      underTest.setbacks.report([settled, held], retrying(2));
      await expectSeen(held, stamped(retrying(2), 0));
      underTest.setbacks.settled([settled, anId()]);
      expect(underTest.setbacks.find(settled)).to.equal(undefined);
      await expectSeen(held, stamped(retrying(2), 0));
    });
  });

  if (makeWithFailingStore === undefined) return;
  describe(`${name} while its store fails`, () => {
    it('reports without failing, and answers for the events itself', async () => {
      const underTest = await makeWithFailingStore();
      underTest.setNow(at(3));
      const eventId = anId();
      underTest.setbacks.report([eventId], deadLettered);
      expect(underTest.setbacks.find(eventId)).to.deep.equal(stamped(deadLettered, 3));
      underTest.setbacks.settled([eventId]);
      expect(underTest.setbacks.find(eventId)).to.equal(undefined);
    });
  });
}
