import { BitSet } from './bit-set';

/**
 * Every event of the soak by its index: how many were sent, which the service acknowledged (201)
 * and which are stored. Lost: acknowledged and not stored.
 */
export class EventLedger {
  private sentCount = 0;
  private readonly acknowledged = new BitSet();
  private readonly stored = new BitSet();
  /** Ids in 201 answers that were not among those sent. */
  unknownAcknowledged = 0;

  /** The indexes of `count` new events, in order. */
  reserve(count: number): number[] {
    const first = this.sentCount;
    this.sentCount += count;
    return Array.from({ length: count }, (_, offset) => first + offset);
  }

  acknowledge(index: number | undefined): void {
    if (index === undefined || index >= this.sentCount) this.unknownAcknowledged += 1;
    else this.acknowledged.add(index);
  }

  markStored(index: number): void {
    this.stored.add(index);
  }

  get sent(): number {
    return this.sentCount;
  }

  get acknowledgedCount(): number {
    return this.acknowledged.size;
  }

  get storedCount(): number {
    return this.stored.size;
  }

  /** Acknowledged and not (yet) stored, in index order. */
  missing(): number[] {
    const missing: number[] = [];
    for (let index = 0; index < this.sentCount; index += 1)
      if (this.acknowledged.has(index) && !this.stored.has(index)) missing.push(index);
    return missing;
  }

  /** Stored without an acknowledgement: a 503, a timeout or a request cut off at the end. */
  storedUnacknowledged(): number {
    let count = 0;
    for (let index = 0; index < this.sentCount; index += 1)
      if (this.stored.has(index) && !this.acknowledged.has(index)) count += 1;
    return count;
  }
}
