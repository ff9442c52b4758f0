import { expect } from 'chai';
import { MinuteStats } from '../../../scripts/soak/minute-stats';
import { DEFAULTS } from '../../../scripts/soak/settings';
import type { SoakMeasured } from '../../../scripts/soak/soak-results';
import { summarise } from '../../../scripts/soak/soak-summary';

/** A run of 3 minutes in which everything acknowledged was stored once, but for `changes`. */
function measured(changes: {
  lost?: number;
  rows?: number;
  processedTwice?: number;
  deadLetters?: number;
}): SoakMeasured {
  const minutes = new MinuteStats();
  minutes.answered({
    sentAtMs: 0,
    kind: 'single',
    status: 201,
    latencyMs: 4,
    events: 1,
    acknowledged: 1,
  });
  minutes.answered({
    sentAtMs: 70_000,
    kind: 'single',
    status: 201,
    latencyMs: 9,
    events: 1,
    acknowledged: 1,
  });
  minutes.lag(1000, 12);
  const points = [0, 60, 120, 180].map((atSeconds, index) => ({ atSeconds, mb: 100 + index }));
  return {
    startedAt: '2026-12-03T12:00:00.000Z',
    commit: 'abc1234',
    machine: {
      cpus: 2,
      cpuModel: 'x',
      memoryGb: 24,
      node: '20',
      kafka: '4.1.1',
      postgres: 'PostgreSQL 15',
      loadGenerator: 'wrk',
    },
    settings: { ...DEFAULTS, minutes: 3 },
    topic: 'soak-x',
    targetRate: 100,
    soakSeconds: 180,
    events: {
      sent: 1000,
      acknowledged: 1000,
      unknownAcknowledged: 0,
      stored: {
        rows: changes.rows ?? 1000,
        distinctIds: 1000,
        stored: 1000 - (changes.lost ?? 0),
        lost: changes.lost ?? 0,
        storedUnacknowledged: 0,
        waitedSeconds: 0,
      },
      lines: { processed: 1000, duplicates: 3, processedTwice: changes.processedTwice ?? 0 },
      counters: { published: 1000, processed: 1000, duplicates: 3 },
    },
    poisons: {
      sent: 10,
      deadLetters: {
        records: 11,
        distinctPoisons: changes.deadLetters ?? 10,
        others: 0,
        reasons: { malformed: 11 },
      },
    },
    memory: { rss: points, liveHeap: points, probeGcPausesMs: [3, 40, 5] },
    latency: minutes.overall(),
    restarts: { planned: [{ atSeconds: 90, node: 1 }], done: [] },
    minutes: minutes.rows(180_000),
    unansweredBy: minutes.unansweredBy(),
    lagZeroAtEnd: true,
    serviceExit: 0,
  };
}

describe('soak: the summary and its verdict', () => {
  it('passes a run with nothing lost or twice, a poison redelivered once being no failure', () => {
    const summary = summarise(measured({}));
    expect(summary.failures).to.deep.equal([]);
    expect(summary.worstMinute).to.deep.equal({ minute: 2, p99Ms: 9 });
    expect(summary.lagMax).to.equal(12);
    expect(summary.probeGc).to.deep.equal({ medianMs: 5, maxMs: 40 });
    expect(summary.rss).to.deep.include({ startMb: 100, endMb: 103, maxMb: 103 });
    // 1 MB a minute from 36 s on (20% of 3 minutes): 60 MB/h.
    expect(summary.rss.slopeMbPerHour).to.equal(60);
  });

  it('fails a lost event, an event stored or processed twice, and a poison not dead-lettered', () => {
    expect(summarise(measured({ lost: 2 })).failures).to.deep.equal([
      '2 acknowledged event(s) not stored',
    ]);
    expect(summarise(measured({ rows: 1001, processedTwice: 1 })).failures).to.deep.equal([
      '2 event(s) stored or processed twice',
    ]);
    expect(summarise(measured({ deadLetters: 9 })).failures).to.deep.equal([
      '10 poison(s) sent, 9 found on the DLQ (and 0 other dead letter(s))',
    ]);
  });
});
