import { fitFromSeconds, slopeMbPerHour, type MemoryPoint } from './slope';
import type { MemorySummary, SoakMeasured, SoakSummary } from './soak-results';
import { median, rounded } from '../bench/pipeline/stats';

/** The summary of a run, its verdict included: what the Markdown's first table shows. */
export function summarise(measured: SoakMeasured): SoakSummary {
  const { minutes, events, poisons, soakSeconds } = measured;
  const sum = (figure: (row: (typeof minutes)[number]) => number): number =>
    minutes.reduce((total, row) => total + figure(row), 0);
  const worst = minutes.reduce(
    (found, row) =>
      row.singleP99Ms > found.p99Ms ? { minute: row.minute, p99Ms: row.singleP99Ms } : found,
    { minute: NaN, p99Ms: -Infinity },
  );
  const lags = minutes.map((row) => row.lagMax).filter(Number.isFinite);
  const pauses = measured.memory.probeGcPausesMs;
  const duplicated = events.stored.rows - events.stored.distinctIds + events.lines.processedTwice;
  return {
    rss: memorySummary(measured.memory.rss, soakSeconds),
    liveHeap: memorySummary(measured.memory.liveHeap, soakSeconds),
    probeGc: { medianMs: median(pauses), maxMs: pauses.length === 0 ? NaN : Math.max(...pauses) },
    fitFromSeconds: rounded(fitFromSeconds(soakSeconds), 1),
    worstMinute: Number.isFinite(worst.p99Ms) ? worst : { minute: NaN, p99Ms: NaN },
    lagMax: lags.length === 0 ? NaN : Math.max(...lags),
    totals: {
      requests: sum((row) => row.requests),
      unavailable: sum((row) => row.unavailable),
      otherAnswers: sum((row) => row.otherAnswers),
      unanswered: sum((row) => row.unanswered),
      skipped: sum((row) => row.skipped),
    },
    duplicated,
    failures: [
      ...(events.stored.lost > 0 ? [`${events.stored.lost} acknowledged event(s) not stored`] : []),
      ...(duplicated > 0 ? [`${duplicated} event(s) stored or processed twice`] : []),
      ...(events.unknownAcknowledged > 0
        ? [`${events.unknownAcknowledged} acknowledged id(s) the soak never sent`]
        : []),
      ...(poisons.deadLetters.distinctPoisons !== poisons.sent || poisons.deadLetters.others > 0
        ? [
            `${poisons.sent} poison(s) sent, ${poisons.deadLetters.distinctPoisons} found on the DLQ` +
              ` (and ${poisons.deadLetters.others} other dead letter(s))`,
          ]
        : []),
    ],
  };
}

function memorySummary(points: readonly MemoryPoint[], soakSeconds: number): MemorySummary {
  return {
    startMb: points[0]?.mb ?? NaN,
    endMb: points[points.length - 1]?.mb ?? NaN,
    maxMb: points.length === 0 ? NaN : Math.max(...points.map((point) => point.mb)),
    slopeMbPerHour: rounded(slopeMbPerHour(points, soakSeconds), 1),
  };
}
