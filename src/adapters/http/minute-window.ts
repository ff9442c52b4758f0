export const MINUTE_MS = 60_000;

/**
 * The one-minute window a count belongs to, for the rate limit and the throttled warnings alike.
 * A window is over a minute after it began, or as soon as the clock steps back before its start
 * (else it would last until the clock caught up). Where the next one starts is `startOf(at)`: the
 * clock's minute for a limit a client can read (RateLimit's reset), the first call for a log.
 */
export class MinuteWindow {
  private startedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly startOf: (at: number) => number) {}

  /** Moves to the window of `at` if the current one is over; true when it did. */
  moveTo(at: number): boolean {
    if (at < this.startedAt + MINUTE_MS && at >= this.startedAt) return false;
    this.startedAt = this.startOf(at);
    return true;
  }

  /** Milliseconds from `at` until the current window ends. */
  remainingMs(at: number): number {
    return this.startedAt + MINUTE_MS - at;
  }
}

/** Windows on the clock's minutes: 12:00:00 to 12:01:00 and so on. */
export const clockMinutes = (at: number): number => at - (at % MINUTE_MS);

/** Windows that begin with their first call. */
export const fromFirstCall = (at: number): number => at;
