import { expect } from 'chai';
import { left, right, type Either } from 'fp-ts/Either';
import type { PublishFailure } from '../../../src/application/event-publisher.port';
import type { RecordLocation } from '../../../src/application/record-location';
import type { RecordWrites } from '../../../src/adapters/kafka/record-writes';
import { WriteHealth } from '../../../src/adapters/kafka/write-health';

type Written = Either<PublishFailure, readonly RecordLocation[]>;

/** Writes answered as the test says, on a clock the test moves. */
function watched(): {
  health: WriteHealth;
  write: (answer: Written) => Promise<Written>;
  pass: (ms: number) => void;
} {
  let now = 1_000_000;
  let answer: Written = right([]);
  const writes: RecordWrites = { write: async () => answer };
  const health = new WriteHealth(() => now);
  const watching = health.watching(writes);
  return {
    health,
    write: (next) => {
      answer = next;
      return watching.write([]);
    },
    pass: (ms) => (now += ms),
  };
}

const timedOut: Written = left({ _tag: 'PublishTimedOut', afterMs: 2000 });
const unavailable: Written = left({ _tag: 'BrokerUnavailable', detail: 'no leader' });

describe('WriteHealth: whether the latest writes show the cluster out of reach', () => {
  it('is up before any write, and after writes that succeed', async () => {
    const { health, write } = watched();
    expect(health.isDown()).to.equal(false);
    await write(right([]));
    expect(health.isDown()).to.equal(false);
  });

  it('passes every answer on unchanged', async () => {
    const { write } = watched();
    expect(await write(timedOut)).to.deep.equal(timedOut);
  });

  it('is down from a write that timed out or found no broker until a write succeeds', async () => {
    for (const failure of [timedOut, unavailable]) {
      const { health, write, pass } = watched();
      await write(failure);
      pass(5000);
      expect(health.isDown(), failure._tag).to.equal(true);
      await write(right([]));
      expect(health.isDown(), `${failure._tag}, then a success`).to.equal(false);
    }
  });

  it('stays down a second after the failure even if a write succeeds at once', async () => {
    const { health, write, pass } = watched();
    await write(timedOut);
    await write(right([]));
    pass(999);
    expect(health.isDown()).to.equal(true);
    pass(1);
    expect(health.isDown()).to.equal(false);
  });

  it('is up again ten seconds after the last failure without a write since', async () => {
    const { health, write, pass } = watched();
    await write(unavailable);
    pass(9999);
    expect(health.isDown()).to.equal(true);
    pass(1);
    expect(health.isDown()).to.equal(false);
  });

  it('is not put down by a write refused because too many wait: that is load, not the cluster', async () => {
    const { health, write } = watched();
    await write(left({ _tag: 'Overloaded', maxPendingEvents: 10 }));
    expect(health.isDown()).to.equal(false);
  });
});
