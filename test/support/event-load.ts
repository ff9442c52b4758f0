import { randomUUID } from 'node:crypto';

export interface SentEvent {
  readonly eventId: string;
  readonly valid: boolean;
  /** HTTP status, or 0 when the request itself failed. */
  readonly status: number;
}

export interface EventLoadOptions {
  readonly requests: number;
  readonly concurrency: number;
  /** Every n-th request is invalid (blank eventType), to check that 4xx events are never processed. */
  readonly invalidEvery: number;
}

/**
 * A bounded load of POST /events/generate from `concurrency` workers, each event with an id the
 * test chose, so that what happened to every one of them can be checked afterwards.
 */
export class EventLoad {
  readonly sent: SentEvent[] = [];
  private next = 0;

  constructor(
    private readonly url: string,
    private readonly options: EventLoadOptions,
  ) {}

  run(): Promise<SentEvent[]> {
    const workers = Array.from({ length: this.options.concurrency }, () => this.work());
    return Promise.all(workers).then(() => this.sent);
  }

  count(status: number): number {
    return this.sent.filter((event) => event.status === status).length;
  }

  private async work(): Promise<void> {
    while (this.next < this.options.requests) {
      const index = this.next++;
      const valid = index % this.options.invalidEvery !== 0;
      const eventId = randomUUID();
      const body = {
        userId: `load-${index % 50}`,
        eventType: valid ? 'PRODUCT_VIEW' : '',
        eventId,
        payload: { index },
      };
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
      this.sent.push({ eventId, valid, status });
    }
  }
}
