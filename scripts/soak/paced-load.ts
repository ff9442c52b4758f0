import { setTimeout as sleep } from 'node:timers/promises';

/** Requests due by `elapsedMs` at `rate` per second beyond the `issued` so far (sent or skipped). */
export const dueRequests = (elapsedMs: number, rate: number, issued: number): number =>
  Math.max(0, Math.floor((elapsedMs * rate) / 1000) - issued);

const TICK_MS = 5;

/**
 * An open-model load: `rate` requests per second from the clock, however long the answers take
 * (a closed loop would slow down with the server and hide its stalls), at most `inFlightCap` at
 * once; a request due beyond the cap is skipped and counted, not sent late.
 */
export class PacedLoad {
  private inFlight = 0;
  private sent = 0;
  private issued = 0;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly rate: number,
    private readonly inFlightCap: number,
    /** Sends request number `sequence` (0, 1, 2 … over those sent), `atMs` into the load. */
    private readonly send: (sequence: number, atMs: number) => Promise<void>,
    private readonly skip: (atMs: number) => void,
  ) {}

  /**
   * Runs for `durationMs` (or until stop), then waits up to `drainMs` for what is in flight;
   * answers how long it sent, ms.
   */
  async run(durationMs: number, drainMs: number): Promise<number> {
    const startedAt = performance.now();
    let elapsed = 0;
    for (;;) {
      elapsed = performance.now() - startedAt;
      if (this.stopped || elapsed >= durationMs) break;
      for (let due = dueRequests(elapsed, this.rate, this.issued); due > 0; due -= 1) {
        this.issued += 1;
        if (this.inFlight >= this.inFlightCap) this.skip(elapsed);
        else this.start(elapsed);
      }
      await sleep(TICK_MS);
    }
    const drained = Promise.all(this.pending).then(() => undefined);
    await Promise.race([drained, sleep(drainMs)]);
    return Math.min(elapsed, durationMs);
  }

  stop(): void {
    this.stopped = true;
  }

  private start(atMs: number): void {
    this.inFlight += 1;
    const request: Promise<void> = this.send(this.sent++, atMs)
      .catch((error: unknown) => console.error(`a soak request failed: ${String(error)}`))
      .finally(() => {
        this.inFlight -= 1;
        this.pending.delete(request);
      });
    this.pending.add(request);
  }
}
