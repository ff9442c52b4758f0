import { percentile, rounded } from '../bench/pipeline/stats';
import type { RequestKind } from './request-mix';

/** One answered (or unanswered: status 0) request of the soak. */
export interface AnsweredRequest {
  /** When it was sent, ms since the soak started: it counts in that minute. */
  readonly sentAtMs: number;
  readonly kind: RequestKind;
  readonly status: number;
  readonly latencyMs: number;
  /** Events it carried, and those the answer acknowledged. */
  readonly events: number;
  readonly acknowledged: number;
  /** Why an unanswered one had no answer (HttpAnswer.failure). */
  readonly failure?: string;
}

/** One minute of the soak (the last may be shorter). */
export interface MinuteRow {
  /** 1 for the first minute. */
  readonly minute: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly eventsSent: number;
  readonly eventsAcknowledged: number;
  readonly unavailable: number;
  /** Answers other than 201 and 503 to a POST, or than 200 and 404 to a read. */
  readonly otherAnswers: number;
  readonly unanswered: number;
  /** Requests due that the in-flight cap held back. */
  readonly skipped: number;
  /** Of the single POSTs sent in the minute, whatever their answer, ms. */
  readonly singleP50Ms: number;
  readonly singleP99Ms: number;
  /** The largest consumer group lag read in the minute; NaN when none was read. */
  readonly lagMax: number;
}

type Counted = Omit<
  MinuteRow,
  'minute' | 'seconds' | 'requestsPerSecond' | 'singleP50Ms' | 'singleP99Ms' | 'lagMax'
>;
type Counts = { -readonly [K in keyof Counted]: Counted[K] };

const EXPECTED: Readonly<Record<RequestKind, readonly number[]>> = {
  single: [201, 503],
  batch: [201, 503],
  read: [200, 404],
};

/** The soak's answers and lag readings, minute by minute. */
export class MinuteStats {
  private readonly counts: Counts[] = [];
  private readonly latencies: number[][] = [];
  private readonly lags: number[] = [];
  private readonly unansweredCauses = new Map<string, number>();

  answered(request: AnsweredRequest): void {
    const minute = this.minuteOf(request.sentAtMs);
    const counts = this.countsOf(minute);
    counts.requests += 1;
    counts.eventsSent += request.events;
    counts.eventsAcknowledged += request.acknowledged;
    if (request.status === 0) this.unanswered(counts, request.failure ?? 'unknown');
    else if (request.status === 503 && request.kind !== 'read') counts.unavailable += 1;
    else if (!EXPECTED[request.kind].includes(request.status)) counts.otherAnswers += 1;
    if (request.kind === 'single' && request.status !== 0)
      (this.latencies[minute] ??= []).push(request.latencyMs);
  }

  /** How many requests went unanswered, by cause, over the whole soak. */
  unansweredBy(): Record<string, number> {
    return Object.fromEntries(this.unansweredCauses);
  }

  skipped(atMs: number): void {
    this.countsOf(this.minuteOf(atMs)).skipped += 1;
  }

  lag(atMs: number, value: number): void {
    const minute = this.minuteOf(atMs);
    this.lags[minute] = Math.max(this.lags[minute] ?? -Infinity, value);
  }

  /** A row per minute of a soak that lasted `durationMs`. */
  rows(durationMs: number): MinuteRow[] {
    const minutes = Math.max(1, Math.ceil(durationMs / 60_000));
    return Array.from({ length: minutes }, (_, minute) => {
      const seconds = Math.min(60, (durationMs - minute * 60_000) / 1000);
      const counts = this.counts[minute] ?? emptyCounts();
      const latencies = this.latencies[minute] ?? [];
      return {
        minute: minute + 1,
        seconds: rounded(seconds, 1),
        ...counts,
        requestsPerSecond: rounded(counts.requests / seconds, 1),
        singleP50Ms: rounded(percentile(latencies, 50), 2),
        singleP99Ms: rounded(percentile(latencies, 99), 2),
        lagMax: this.lags[minute] ?? NaN,
      };
    });
  }

  /** p50 and p99 of every single POST answered, ms. */
  overall(): { readonly p50Ms: number; readonly p99Ms: number } {
    const all = this.latencies.flat();
    return { p50Ms: rounded(percentile(all, 50), 2), p99Ms: rounded(percentile(all, 99), 2) };
  }

  private unanswered(counts: Counts, cause: string): void {
    counts.unanswered += 1;
    this.unansweredCauses.set(cause, (this.unansweredCauses.get(cause) ?? 0) + 1);
  }

  private minuteOf(atMs: number): number {
    return Math.max(0, Math.floor(atMs / 60_000));
  }

  private countsOf(minute: number): Counts {
    return (this.counts[minute] ??= emptyCounts());
  }
}

const emptyCounts = (): Counts => ({
  requests: 0,
  eventsSent: 0,
  eventsAcknowledged: 0,
  unavailable: 0,
  otherAnswers: 0,
  unanswered: 0,
  skipped: 0,
});
