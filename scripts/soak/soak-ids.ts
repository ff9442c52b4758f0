import { randomBytes } from 'node:crypto';

// The 12 hex digits after this hold the event's index: lower-case, as the service wants its ids.
const MIDDLE = '-50a4-4000-8000-';
const INDEX_DIGITS = 12;

/**
 * The eventIds of one soak run: UUIDs that carry the run's random tag and the event's index, so
 * that a bit per index keeps what was sent, acknowledged and stored, where millions of id strings
 * would weigh hundreds of MB, and so that the run's rows are one range of the primary key.
 */
export class SoakIds {
  private readonly prefix: string;

  constructor(readonly tag: string = randomBytes(4).toString('hex')) {
    if (!/^[0-9a-f]{8}$/.test(tag)) throw new Error(`a tag is 8 lower-case hex digits, not ${tag}`);
    this.prefix = `${tag}${MIDDLE}`;
  }

  idOf(index: number): string {
    return `${this.prefix}${index.toString(16).padStart(INDEX_DIGITS, '0')}`;
  }

  /** The index of one of this run's ids; undefined for any other id. */
  indexOf(id: string): number | undefined {
    const digits = id.slice(this.prefix.length);
    if (!id.startsWith(this.prefix) || !/^[0-9a-f]{12}$/.test(digits)) return undefined;
    return Number.parseInt(digits, 16);
  }

  /** The lowest and highest of this run's ids: its rows are the primary key's range between. */
  range(): { readonly from: string; readonly to: string } {
    return {
      from: `${this.prefix}${'0'.repeat(INDEX_DIGITS)}`,
      to: `${this.prefix}${'f'.repeat(INDEX_DIGITS)}`,
    };
  }
}
