/** Where a batch of lines goes: one call, the lines joined, in the order they came. */
export interface LineSink {
  write(chunk: string): unknown;
}

/**
 * Log lines gathered during one turn of the event loop and handed to `sink` together, at the
 * end of the turn: one write call for every line a turn produced rather than one per line (a
 * synchronous write per request line took a fifth of a request's CPU). Never more than
 * `maxChars` wait: a line that reaches the bound sends the batch at once, synchronously, so a
 * reader that falls behind slows the writer instead of growing its memory. Call `flush` before
 * the process exits, or the last turn's lines are lost.
 */
export class BatchedLines {
  private lines: string[] = [];
  private chars = 0;
  private scheduled = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxChars: number,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      // After this turn's I/O callbacks: a busy turn's lines, all of them, in one write.
      setImmediate(this.flushScheduled);
    }
  }

  /** Hands every waiting line to the sink now. */
  flush(): void {
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(chunk);
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
