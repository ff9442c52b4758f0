import { expect } from 'chai';
import { MinuteStats, type AnsweredRequest } from '../../../scripts/soak/minute-stats';

const single = (sentAtMs: number, latencyMs: number, status = 201): AnsweredRequest => ({
  sentAtMs,
  kind: 'single',
  status,
  latencyMs,
  events: 1,
  acknowledged: status === 201 ? 1 : 0,
});

describe('soak: minute by minute', () => {
  it('counts each request in the minute it was sent, with the single POSTs’ p50 and p99', () => {
    const stats = new MinuteStats();
    for (let i = 1; i <= 100; i += 1) stats.answered(single(1000 + i, i));
    stats.answered(single(61_000, 7));
    const [first, second] = stats.rows(120_000);
    expect(first).to.include({
      minute: 1,
      requests: 100,
      eventsSent: 100,
      eventsAcknowledged: 100,
    });
    expect(first).to.include({ singleP50Ms: 50, singleP99Ms: 99, requestsPerSecond: 1.7 });
    expect(second).to.include({ minute: 2, requests: 1, singleP50Ms: 7, singleP99Ms: 7 });
  });

  it('tells 503s, unexpected answers, unanswered and skipped requests apart', () => {
    const stats = new MinuteStats();
    stats.answered(single(0, 5000, 503));
    stats.answered(single(0, 3, 500));
    stats.answered({ ...single(0, 30_000, 0), failure: 'timeout' });
    stats.answered({
      sentAtMs: 0,
      kind: 'read',
      status: 404,
      latencyMs: 1,
      events: 0,
      acknowledged: 0,
    });
    stats.answered({
      sentAtMs: 0,
      kind: 'read',
      status: 503,
      latencyMs: 1,
      events: 0,
      acknowledged: 0,
    });
    stats.answered({
      sentAtMs: 0,
      kind: 'batch',
      status: 201,
      latencyMs: 9,
      events: 50,
      acknowledged: 50,
    });
    stats.skipped(10);
    const [row] = stats.rows(60_000);
    expect(row).to.include({
      requests: 6,
      unavailable: 1,
      otherAnswers: 2,
      unanswered: 1,
      skipped: 1,
    });
    expect(row).to.include({ eventsSent: 53, eventsAcknowledged: 50 });
    // Only answered single POSTs have a latency: 5000 and 3 ms.
    expect(row?.singleP99Ms).to.equal(5000);
  });

  it('counts the unanswered requests by cause over the whole soak', () => {
    const stats = new MinuteStats();
    stats.answered({ ...single(0, 30_000, 0), failure: 'timeout' });
    stats.answered({ ...single(61_000, 2, 0), failure: 'ECONNRESET' });
    stats.answered({ ...single(62_000, 3, 0), failure: 'ECONNRESET' });
    stats.answered(single(63_000, 4, 0));
    stats.answered(single(64_000, 5));
    expect(stats.unansweredBy()).to.deep.equal({ timeout: 1, ECONNRESET: 2, unknown: 1 });
  });

  it('keeps the largest lag of each minute, NaN where none was read', () => {
    const stats = new MinuteStats();
    stats.lag(5_000, 10);
    stats.lag(50_000, 250);
    stats.lag(59_999, 3);
    const [first, second] = stats.rows(90_000);
    expect(first?.lagMax).to.equal(250);
    expect(second?.lagMax).to.be.NaN;
    expect(second?.seconds).to.equal(30);
  });

  it('gives p50 and p99 over every minute', () => {
    const stats = new MinuteStats();
    for (let i = 1; i <= 50; i += 1) stats.answered(single(i, i));
    for (let i = 51; i <= 100; i += 1) stats.answered(single(60_000 + i, i));
    expect(stats.overall()).to.deep.equal({ p50Ms: 50, p99Ms: 99 });
  });
});
