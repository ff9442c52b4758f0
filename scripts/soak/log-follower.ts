import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { BitSet } from './bit-set';
import type { SoakIds } from './soak-ids';

/** What the service's "event processed" and "event duplicate" lines say so far. */
export interface SettledLines {
  readonly processed: number;
  /** Copies delivered again and found stored: the dedupe at work (redeliveries after a restart). */
  readonly duplicates: number;
  /** Soak events with more than one "event processed" line: processed twice. */
  readonly processedTwice: number;
}

const CHUNK = 1 << 20;

/**
 * Reads the service's log as it grows, a chunk at a time from where it stopped, so that an hour
 * of lines (GBs) is never held at once; a line cut at the end of a read waits for the next.
 */
export class LogFollower {
  private offset = 0;
  private rest = '';
  // A character cut between two reads is decoded whole with the second.
  private readonly decoder = new StringDecoder('utf8');
  private readonly seen = new BitSet();
  private lines: { -readonly [K in keyof SettledLines]: number } = {
    processed: 0,
    duplicates: 0,
    processedTwice: 0,
  };

  constructor(
    private readonly path: string,
    private readonly ids: SoakIds,
  ) {}

  private reading: Promise<SettledLines> = Promise.resolve({ ...this.lines });

  /** Reads what was written since the last call (calls that overlap read one after the other). */
  follow(): Promise<SettledLines> {
    this.reading = this.reading.catch(() => undefined).then(() => this.readMore());
    return this.reading;
  }

  private async readMore(): Promise<SettledLines> {
    const file = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, CHUNK, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const text = this.rest + this.decoder.write(buffer.subarray(0, bytesRead));
        const cut = text.lastIndexOf('\n');
        this.rest = text.slice(cut + 1);
        for (const line of text.slice(0, cut + 1).split('\n')) this.read(line);
      }
    } finally {
      await file.close();
    }
    return { ...this.lines };
  }

  private read(line: string): void {
    // A cheap test first: most lines are requests'.
    if (line.includes('"msg":"event duplicate"')) this.lines.duplicates += 1;
    if (!line.includes('"msg":"event processed"')) return;
    this.lines.processed += 1;
    const index = this.ids.indexOf(/"eventId":"([^"]+)"/.exec(line)?.[1] ?? '');
    if (index !== undefined && !this.seen.add(index)) this.lines.processedTwice += 1;
  }
}
