import type { Logger } from 'pino';
import { fromFirstCall, MinuteWindow } from './minute-window';

/**
 * One warn line per call, at most `perMinute` of them a minute; past that the calls are counted,
 * and one line at the end of the minute says how many were not logged. A flood of bad requests
 * so costs the log a bounded number of lines, and still shows.
 */
export class ThrottledWarnings {
  private readonly window = new MinuteWindow(fromFirstCall);
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
    if (this.window.moveTo(at)) {
      this.summarise();
      this.logged = 0;
    }
    if (this.logged < this.perMinute) {
      this.logged += 1;
      this.logger.warn(fields, this.message);
      return;
    }
    this.notLogged += 1;
    // Unreferenced: a pending summary never keeps the process from exiting.
    this.summary ??= setTimeout(() => this.summarise(), this.window.remainingMs(at)).unref();
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
