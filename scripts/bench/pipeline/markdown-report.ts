import { cpuPerEventSection, singleCeilingsSection, singleDetail } from './markdown-ceilings';
import { count, decimal, latencies, med, ms, statuses, table } from './markdown-format';
import type { BenchResults } from './results';
import type { ScalingRun } from './scaling-legs';
import { rolesSection } from './markdown-roles';
import { tracingSection } from './markdown-tracing';

/** The scaling leg: events/s per instance count, beside one instance and the bare INSERT. */
function scalingSection(results: BenchResults): string[] {
  const { scaling } = results;
  const eventsPerSecond = (runs: readonly ScalingRun[]): number =>
    med(runs, (run) => run.eventsPerSecond);
  const single = eventsPerSecond(scaling.points[0]?.runs ?? []);
  const bareInsert = med(results.drain.bareInsert, (run) => run.rowsPerSecond);
  return [
    `## Instances that scale (${count(scaling.records)} records, ${scaling.partitions} partitions, ` +
      `${scaling.nodes}-node cluster, STORE=postgres, one group)`,
    table(
      [
        'Instances',
        'Events/s',
        '× one instance',
        'Ratio to the bare INSERT',
        'Start to first event, s',
        'First event to lag 0, s',
        'Events per instance (first run)',
        'Redelivered, found stored (all runs)',
        'CPU s, all instances',
        'Peak RSS MB',
      ],
      scaling.points.map(({ instances, runs }) => [
        String(instances),
        count(eventsPerSecond(runs)),
        decimal(eventsPerSecond(runs) / single, 2),
        decimal(eventsPerSecond(runs) / bareInsert, 2),
        decimal(
          med(runs, (run) => run.startSeconds),
          1,
        ),
        decimal(
          med(runs, (run) => run.firstToLagZeroSeconds),
          1,
        ),
        (runs[0]?.processedPerInstance ?? []).map(count).join(' / '),
        count(runs.reduce((sum, run) => sum + run.duplicates, 0)),
        decimal(
          med(runs, (run) => run.cpuSeconds),
          1,
        ),
        count(med(runs, (run) => run.peakRssMb)),
      ]),
    ),
    `Every run stored each of the ${count(scaling.records)} eventIds once (rows counted after lag 0). ` +
      `The bare INSERT is the ceiling of the PostgreSQL drain above, on the same database.`,
  ];
}

/** The run as Markdown: ratios to the ceilings first, then each leg's detail. */
export function markdownReport(results: BenchResults, chartFile: string): string {
  const { summary, settings, machine } = results;
  const repetitions = `median of ${settings.repetitions} run${settings.repetitions === 1 ? '' : 's'}`;
  const sections = [
    `# Pipeline benchmark, ${results.startedAt} (${results.mode}), KAFKA_CLIENT=${results.client}`,
    `Commit ${results.commit}; ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB; Node ${machine.node}; ` +
      `Kafka ${machine.kafka} (single node, on the same machine; a three-node cluster for the scaling leg); ${machine.postgres}; load by ${results.loadGenerators.load} (the end-to-end latency leg by ${results.loadGenerators.rateLimited}). ` +
      `Each figure is the ${repetitions} of ${settings.loadSeconds} s loads (backlog: ${count(results.backlog.records)} records); ` +
      `the run took ${count(results.durationSeconds)} s. Every run is in the JSON beside this file.`,
    '## Service against its ceilings',
    table(
      ['Leg', 'Service', 'Ceiling', 'Ceiling measured by', 'Ratio', 'Target'],
      summary.ratios.map((row) => [
        row.leg,
        count(row.service),
        count(row.ceiling),
        row.ceilingName,
        decimal(row.ratio, 2),
        row.target === undefined
          ? ''
          : `≥ ${row.target} ${row.ratio >= row.target ? '(met)' : '(missed)'}`,
      ]),
    ),
    '## Other targets',
    table(
      ['What', 'Measured', 'Target'],
      summary.targets.map((row) => [
        row.what,
        `${decimal(row.value, row.unit === 's' ? 2 : 0)} ${row.unit}`,
        `${row.target} ${row.met ? '(met)' : '(missed)'}`,
      ]),
    ),
    ...singleCeilingsSection(results),
    ...cpuPerEventSection(results),
    `![accepted events/s against connections](${chartFile})`,
    ...singleDetail('service', results, (point) => point.service, true),
    ...singleDetail('no-op route (ceiling)', results, (point) => point.noop, false),
    ...singleDetail('bare framework (ceiling)', results, (point) => point.bare, false),
    `## POST /events/batch (${settings.batchConnections} connections)`,
    table(
      [
        'Events per request',
        'Events/s',
        'Requests/s',
        'p50 / p99 / max ms',
        'Responses (all runs)',
        'Lag 0 after load, s',
        'CPU %',
        'Peak RSS MB',
      ],
      results.batch.map(({ size, service }) => [
        String(size),
        count(med(service, (run) => run.eventsPerSecond)),
        count(med(service, (run) => run.acceptedPerSecond)),
        latencies(service),
        statuses(service),
        decimal(
          med(service, (run) => (run.lagZeroAfterMs ?? NaN) / 1000),
          2,
        ),
        count(med(service, (run) => run.usage.cpuPercent)),
        count(med(service, (run) => run.usage.peakRssMb)),
      ]),
    ),
    `ProducerPerformance (ceiling): ${count(med(results.producerPerformance, (run) => run.recordsPerSecond))} records/s ` +
      `of ${results.recordBytes} B, acks=all, ${count(results.producerPerformance[0]?.records ?? NaN)} records per run; ` +
      `p99 latency ${count(med(results.producerPerformance, (run) => run.p99LatencyMs))} ms.`,
    '## End-to-end latency (event timestamp to processed, from the service\'s "event processed" log lines)',
    table(
      [
        'Rate, POSTs/s',
        'Events',
        'p50 ms',
        'p99 ms',
        'max ms',
        'Responses (all runs)',
        'Lag 0 after load, s',
      ],
      [
        [
          count(results.latency[0]?.rate ?? NaN),
          count(med(results.latency, (run) => run.events)),
          ms(med(results.latency, (run) => run.p50Ms)),
          ms(med(results.latency, (run) => run.p99Ms)),
          ms(med(results.latency, (run) => run.maxMs)),
          statuses(results.latency.map((run) => run.load)),
          decimal(
            med(results.latency, (run) => (run.load.lagZeroAfterMs ?? NaN) / 1000),
            2,
          ),
        ],
      ],
    ),
    `## Backlog drain (${count(results.backlog.records)} records, ${settings.partitions} partitions, a fresh group and process each run)`,
    table(
      [
        'Consumer',
        'Events/s',
        'Start to first event, s',
        'First event to lag 0, s',
        'CPU %',
        'Peak RSS MB',
      ],
      [
        ...(['memory', 'postgres'] as const).map((store) => {
          const runs = results.drain[store];
          return [
            `service, STORE=${store}`,
            count(med(runs, (run) => run.eventsPerSecond)),
            decimal(
              med(runs, (run) => run.startSeconds),
              1,
            ),
            decimal(
              med(runs, (run) => run.firstToLagZeroSeconds),
              1,
            ),
            count(med(runs, (run) => run.usage.cpuPercent)),
            count(med(runs, (run) => run.usage.peakRssMb)),
          ];
        }),
        [
          'bare kafkajs consumer (ceiling of memory)',
          count(med(results.drain.bareConsumer, (run) => run.eventsPerSecond)),
          '',
          '',
          '',
          '',
        ],
        [
          'bare batched INSERT (ceiling of postgres)',
          count(med(results.drain.bareInsert, (run) => run.rowsPerSecond)),
          '',
          '',
          '',
          '',
        ],
      ],
    ),
    ...rolesSection(results),
    ...tracingSection(results),
    ...scalingSection(results),
    '## Processes (whole life)',
    table(
      ['Process', 'Peak RSS MB', 'CPU s'],
      results.processes.map((process) => [
        process.name,
        count(process.peakRssMb),
        decimal(process.cpuSeconds, 1),
      ]),
    ),
  ];
  return `${sections.join('\n\n')}\n`;
}
