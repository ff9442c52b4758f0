import type { Logger } from 'pino';

const WINDOW_MS = 60_000;

/**
 * One warn line per call, at most `perMinute` of them a minute; past that the calls are counted,
 * and one line at the end of the minute says how many were not logged. A flood of bad requests
 * so costs the log a bounded number of lines, and still shows.
 */
export class ThrottledWarnings {
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private notLogged = 0;
  private summary: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  warn(fields: Readonly<Record<string, unknown>>): void {
    const at = this.now();
    // A clock that stepped back before the window's start ends the window too: else it would
    // last until the clock caught up, and its summary wait as long.
    if (at - this.windowStart >= WINDOW_MS || at < this.windowStart) {
      this.summarise();
      this.windowStart = at;
      this.logged = 0;
    }
    if (this.logged < this.perMinute) {
      this.logged += 1;
      this.logger.warn(fields, this.message);
      return;
    }
    this.notLogged += 1;
    // Unreferenced: a pending summary never keeps the process from exiting.
    this.summary ??= setTimeout(() => this.summarise(), this.windowStart + WINDOW_MS - at).unref();
  }

  private summarise(): void {
    clearTimeout(this.summary);
    this.summary = undefined;
    if (this.notLogged === 0) return;
    this.logger.warn(
      { notLogged: this.notLogged, perMinute: this.perMinute },
      `${this.message}: ${this.notLogged} more in the last minute, not logged`,
    );
    this.notLogged = 0;
  }
}
