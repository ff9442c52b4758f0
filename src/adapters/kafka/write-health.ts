import { isLeft } from 'fp-ts/Either';
import type { RecordWrites } from './record-writes';

/** How long a write that failed for want of the cluster keeps the producer down at least. */
const HELD_DOWN_MS = 1000;
/**
 * How long it keeps it down without a write since: an instance taken out of service gets no
 * requests to show it can write again, so it offers itself again after this long.
 */
const FORGOTTEN_AFTER_MS = 10_000;

/**
 * Whether the latest writes show the cluster out of reach: the connection a client reports
 * outlives a link that went silent (nothing resets it), but the writes on it time out. Down
 * from a write that timed out or found no broker, for at least a second (a readiness that
 * flips faster says nothing to a probe) and until a write succeeds, at most ten seconds.
 */
export class WriteHealth {
  private failedAt = Number.NEGATIVE_INFINITY;
  private succeededAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /** The same writes, their outcomes watched. */
  watching(writes: RecordWrites): RecordWrites {
    return {
      write: async (records) => {
        const written = await writes.write(records);
        const at = this.now();
        if (!isLeft(written)) this.succeededAt = at;
        else if (written.left._tag !== 'Overloaded') this.failedAt = at;
        return written;
      },
    };
  }

  isDown(): boolean {
    const sinceFailure = this.now() - this.failedAt;
    return (
      sinceFailure < HELD_DOWN_MS ||
      (this.failedAt > this.succeededAt && sinceFailure < FORGOTTEN_AFTER_MS)
    );
  }
}
