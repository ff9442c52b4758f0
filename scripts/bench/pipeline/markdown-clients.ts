import { count, decimal, micros, table } from './markdown-format';
import type { BenchResults } from './results';
import { resultNames } from './result-names';

/**
 * A run on several Kafka clients side by side: each leg of the service on each client, over the
 * one ceiling that the run measured for that leg. Rows match by position: every client ran the
 * same legs with the same settings.
 */
export function clientsComparison(runs: readonly BenchResults[]): string {
  const [first] = runs;
  if (first === undefined) return '';
  const clients = runs.map((run) => run.client);
  const { settings } = first;
  const repetitions = `median of ${settings.repetitions} run${settings.repetitions === 1 ? '' : 's'}`;
  return [
    `# Pipeline benchmark by Kafka client, ${first.startedAt} (${first.mode})`,
    `Commit ${first.commit}; ${first.machine.cpus} × ${first.machine.cpuModel}; Node ${first.machine.node}; ` +
      `Kafka ${first.machine.kafka}; load by ${first.loadGenerators.load}. Each figure is the ${repetitions}; ` +
      `the clients' legs took turns, and each ceiling was measured once, in the same run. ` +
      `Each client's whole report: ${runs.map((run) => `\`${resultNames(run).stamped}.md\``).join(', ')}.`,
    '## Service against its ceilings',
    table(
      [
        'Leg',
        'Ceiling',
        'Ceiling measured by',
        ...clients.flatMap((client) => [client, 'ratio']),
        'Target',
      ],
      first.summary.ratios.map((row, index) => [
        row.leg,
        count(row.ceiling),
        row.ceilingName,
        ...runs.flatMap((run) => {
          const own = run.summary.ratios[index];
          return own === undefined ? ['n/a', 'n/a'] : [count(own.service), decimal(own.ratio, 2)];
        }),
        row.target === undefined ? '' : `≥ ${row.target}`,
      ]),
    ),
    '## CPU per event (µs of utime + stime per event accepted or processed)',
    table(
      ['Leg', 'Process', ...clients, 'Ceiling µs/event'],
      first.summary.cpuPerEvent.map((row, index) => [
        row.leg,
        row.process,
        ...runs.map((run) => micros(run.summary.cpuPerEvent[index]?.microsecondsPerEvent ?? NaN)),
        row.ceiling === undefined
          ? ''
          : `${micros(row.ceiling.microsecondsPerEvent)} (${row.ceiling.name})`,
      ]),
    ),
    '## Other targets',
    table(
      ['What', ...clients, 'Target'],
      first.summary.targets.map((row, index) => [
        // Each client's own rate is in its report; the row names the measure alone.
        row.what.replace(/ \([^)]*\)$/, ''),
        ...runs.map((run) => {
          const own = run.summary.targets[index];
          return own === undefined
            ? 'n/a'
            : `${decimal(own.value, own.unit === 's' ? 2 : 0)} ${own.unit} ${own.met ? '(met)' : '(missed)'}`;
        }),
        row.target,
      ]),
    ),
  ].join('\n\n');
}
