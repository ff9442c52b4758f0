import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

export interface SentEvent {
  readonly eventId: string;
  readonly valid: boolean;
  /** HTTP status, or 0 when the request itself failed. */
  readonly status: number;
  /** When the request was sent (Date.now()) and how long its answer took. */
  readonly sentAt: number;
  readonly latencyMs: number;
}

export interface EventLoadOptions {
  /** How many requests in all; Infinity: until stop(). */
  readonly requests: number;
  readonly concurrency: number;
  /** Every n-th request is invalid (blank eventType), to check that 4xx events are never processed. */
  readonly invalidEvery?: number;
  /**
   * The least time between two requests of one worker (default 0: back to back), so that a
   * load's rate is the same before and during a fault, and a fault slows answers, not the sender.
   */
  readonly paceMs?: number;
}

/**
 * A load of POST /events/generate from `concurrency` workers, each event with an id the test
 * chose, so that what happened to every one of them can be checked afterwards.
 */
export class EventLoad {
  readonly sent: SentEvent[] = [];
  private next = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly options: EventLoadOptions,
  ) {}

  run(): Promise<SentEvent[]> {
    const workers = Array.from({ length: this.options.concurrency }, () => this.work());
    return Promise.all(workers).then(() => this.sent);
  }

  /** No new request from now on; run() resolves once those in flight are answered. */
  stop(): void {
    this.stopped = true;
  }

  count(status: number): number {
    return this.sent.filter((event) => event.status === status).length;
  }

  private async work(): Promise<void> {
    const { requests, invalidEvery, paceMs = 0 } = this.options;
    while (!this.stopped && this.next < requests) {
      const index = this.next++;
      const valid = invalidEvery === undefined || index % invalidEvery !== 0;
      const eventId = randomUUID();
      const body = {
        userId: `load-${index % 50}`,
        eventType: valid ? 'PRODUCT_VIEW' : '',
        eventId,
        payload: { index },
      };
      const sentAt = Date.now();
      const status = await fetch(`${this.url}/events/generate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      const latencyMs = Date.now() - sentAt;
      this.sent.push({ eventId, valid, status, sentAt, latencyMs });
      if (paceMs > latencyMs) await delay(paceMs - latencyMs);
    }
  }
}
