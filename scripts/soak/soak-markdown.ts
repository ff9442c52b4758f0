import { count, decimal, ms, table } from '../bench/pipeline/markdown-format';
import type { MemorySummary, SoakResults } from './soak-results';
import type { MemoryPoint } from './slope';

/** m:ss of a time into the soak. */
const clock = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

const memory = (summary: MemorySummary): string =>
  `${decimal(summary.startMb, 1)} / ${decimal(summary.endMb, 1)} / ${decimal(summary.maxMb, 1)} MB, ` +
  `${decimal(summary.slopeMbPerHour, 1)} MB/h`;

function rateLine(results: SoakResults): string {
  const { calibration, targetRate } = results;
  if (calibration === undefined) return `${count(targetRate)} requests/s (set by --rate)`;
  return (
    `${count(targetRate)} requests/s: half the calibrated ${count(calibration.acceptedPerSecond)} ` +
    `single POSTs/s (${calibration.connections} connections, ${decimal(calibration.seconds, 0)} s, ` +
    `${calibration.generator}; its lag back to 0 ${decimal(calibration.lagZeroAfterSeconds, 1)} s after it)`
  );
}

/** ` (ECONNRESET 12, timeout 7)`, or nothing when every request was answered. */
function unansweredCauses(byCause: Readonly<Record<string, number>>): string {
  const causes = Object.entries(byCause).sort(([, a], [, b]) => b - a);
  if (causes.length === 0) return '';
  return ` (${causes.map(([cause, times]) => `${cause} ${count(times)}`).join(', ')})`;
}

function summaryRows(results: SoakResults): string[][] {
  const { summary, events, poisons, latency, restarts } = results;
  const { totals } = summary;
  const stored = events.stored;
  const dead = poisons.deadLetters;
  const done = restarts.done.map(
    (one) =>
      `node ${one.node} at ${clock(one.stoppingAtSeconds)} (back after ${decimal(one.startedAtSeconds - one.stoppingAtSeconds, 1)} s)`,
  );
  return [
    [
      'Verdict',
      summary.failures.length === 0 ? 'passed' : `**failed**: ${summary.failures.join('; ')}`,
    ],
    ['Minutes', `${decimal(results.soakSeconds / 60, 1)} (asked ${results.settings.minutes})`],
    ['Target rate', rateLine(results)],
    [
      'Requests sent',
      `${count(totals.requests)}; skipped at the in-flight cap: ${count(totals.skipped)}`,
    ],
    [
      'Events sent / acknowledged / processed',
      `${count(events.sent)} / ${count(events.acknowledged)} / ${count(stored.stored)}`,
    ],
    ['Lost (acknowledged, not stored)', count(stored.lost)],
    [
      'Duplicated (stored or processed twice)',
      `${count(summary.duplicated)} (rows ${count(stored.rows)}, distinct ${count(stored.distinctIds)}; processed twice in the log ${count(events.lines.processedTwice)})`,
    ],
    [
      '503 / other answers / unanswered',
      `${count(totals.unavailable)} / ${count(totals.otherAnswers)} / ${count(totals.unanswered)}` +
        unansweredCauses(results.unansweredBy),
    ],
    ['Stored without a 201', count(stored.storedUnacknowledged)],
    [
      'Redelivered copies found stored',
      `${count(events.lines.duplicates)} ("event duplicate" lines; ${count(events.counters.duplicates)} by /metrics)`,
    ],
    [
      'Poisons sent / dead letters',
      `${count(poisons.sent)} / ${count(dead.distinctPoisons)} (${count(dead.records)} DLQ records, ${count(dead.others)} others)`,
    ],
    ['RSS start / end / max, slope', memory(summary.rss)],
    ['Live heap start / end / max, slope', memory(summary.liveHeap)],
    [
      "The probe's forced GC: median / longest pause",
      `${ms(summary.probeGc.medianMs)} / ${ms(summary.probeGc.maxMs)} ms (the latencies include them)`,
    ],
    [
      'Single POST p50 / p99',
      `${ms(latency.p50Ms)} / ${ms(latency.p99Ms)} ms; worst minute ${count(summary.worstMinute.minute)}: p99 ${ms(summary.worstMinute.p99Ms)} ms`,
    ],
    ['Consumer lag max', count(summary.lagMax)],
    [
      'Broker restarts',
      `${restarts.done.length} of ${restarts.planned.length}${done.length > 0 ? `: ${done.join(', ')}` : ''}`,
    ],
    [
      'End',
      `${results.lagZeroAtEnd ? 'lag 0' : '**lag not 0**'}; ` +
        (stored.lost === 0
          ? `every acknowledged event stored (counted ${count(stored.waitedSeconds)} s after the load)`
          : `${count(stored.lost)} acknowledged still missing after ${count(stored.waitedSeconds)} s`) +
        `; service exit ${results.serviceExit}`,
    ],
  ];
}

/** The last reading at or before `seconds`. */
const readingAt = (points: readonly MemoryPoint[], seconds: number): number =>
  points.filter((point) => point.atSeconds <= seconds).pop()?.mb ?? NaN;

function minuteRows(results: SoakResults): string[][] {
  const { memory: series, restarts } = results;
  return results.minutes.map((row) => {
    const end = (row.minute - 1) * 60 + row.seconds;
    const restarted = restarts.done
      .filter((one) => one.stoppingAtSeconds >= end - row.seconds && one.stoppingAtSeconds < end)
      .map((one) => `node ${one.node}`);
    return [
      String(row.minute),
      restarted.join(', '),
      decimal(row.requestsPerSecond, 0),
      count(row.eventsAcknowledged),
      count(row.unavailable),
      count(row.otherAnswers + row.unanswered),
      count(row.skipped),
      ms(row.singleP50Ms),
      ms(row.singleP99Ms),
      count(row.lagMax),
      decimal(readingAt(series.rss, end), 1),
      decimal(readingAt(series.liveHeap, end), 1),
    ];
  });
}

/** The run as Markdown: the summary, the chart, then minute by minute. */
export function soakMarkdown(results: SoakResults, chartFile: string): string {
  const { machine, summary } = results;
  return [
    `# Soak, ${results.startedAt}`,
    `Commit ${results.commit}; ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB; Node ${machine.node}; ` +
      `Kafka ${machine.kafka} (three nodes on this machine, topic \`${results.topic}\`); ${machine.postgres}. ` +
      `The service: STORE=postgres, EVENT_BUS=kafka, defaults otherwise, compiled, with the soak's memory probe. ` +
      `Memory slopes are least-squares fits over the samples from ${clock(summary.fitFromSeconds)} on; ` +
      `the JSON beside this file keeps every sample and minute.`,
    table(['Figure', 'Value'], summaryRows(results), 2),
    `![RSS and live heap over time, p99 per minute, node restarts marked](${chartFile})`,
    '## Minute by minute',
    table(
      [
        'Minute',
        'Restarted',
        'Requests/s',
        'Events acknowledged',
        '503',
        'Other / unanswered',
        'Skipped',
        'Single p50 ms',
        'Single p99 ms',
        'Lag max',
        'RSS MB',
        'Live heap MB',
      ],
      minuteRows(results),
      2,
    ),
  ].join('\n\n');
}
