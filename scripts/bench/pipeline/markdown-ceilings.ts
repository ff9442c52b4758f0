import type { HttpLegRun } from './http-legs';
import { count, decimal, latencies, med, micros, statuses, table } from './markdown-format';
import type { BenchResults } from './results';

/** The single POSTs over both ceilings, and each server's and load generator's CPU per event. */
export function singleCeilingsSection(results: BenchResults): string[] {
  return [
    '## POST /events/generate against both ceilings (single events)',
    table(
      [
        'Connections',
        'Service/s',
        'No-op route/s',
        'Bare framework/s',
        'Service ÷ no-op',
        'Service ÷ bare',
        'No-op ÷ bare',
        'CPU µs/event: service',
        'no-op route',
        'bare framework',
        'Load generator µs/event: service / no-op / bare legs',
      ],
      results.summary.single.map((row) => [
        String(row.connections),
        count(row.service.acceptedPerSecond),
        count(row.noop.acceptedPerSecond),
        count(row.bare.acceptedPerSecond),
        decimal(row.serviceToNoop, 2),
        decimal(row.serviceToBare, 2),
        decimal(row.noopToBare, 2),
        micros(row.service.serverMicrosecondsPerEvent),
        micros(row.noop.serverMicrosecondsPerEvent),
        micros(row.bare.serverMicrosecondsPerEvent),
        [row.service, row.noop, row.bare]
          .map((figures) => micros(figures.loadGeneratorMicrosecondsPerEvent))
          .join(' / '),
      ]),
    ),
    'The no-op route is the service as it ships with a publisher that answers at once (no broker); ' +
      'the bare framework is Koa, @koa/router and koa-bodyparser answering 201 at once. ' +
      'CPU µs/event: utime + stime over the 201 answers the load generator counted; the service ' +
      "from the start of the load until its group's lag was 0 (so consuming what it accepted is " +
      'included), the ceilings and the load generator over the load.',
  ];
}

/** CPU per event of the batch, latency, drain and scaling legs. */
export function cpuPerEventSection(results: BenchResults): string[] {
  return [
    '## CPU per event, the other legs (µs of utime + stime per event accepted or processed)',
    table(
      ['Leg', 'Process', 'µs/event', 'Ceiling', 'Ceiling µs/event', 'Load generator µs/event'],
      results.summary.cpuPerEvent.map((row) => [
        row.leg,
        row.process,
        micros(row.microsecondsPerEvent),
        row.ceiling?.name ?? '',
        row.ceiling === undefined ? '' : micros(row.ceiling.microsecondsPerEvent),
        row.loadGenerator === undefined
          ? ''
          : `${micros(row.loadGenerator.microsecondsPerEvent)} (${row.loadGenerator.name})`,
      ]),
    ),
    "The batch legs' ceiling (ProducerPerformance, a JVM) and the PostgreSQL drain's (the bare " +
      "INSERT, whose work is PostgreSQL's) have no CPU figure of theirs here.",
  ];
}

/** The detail of one kind of server's single-POST runs. */
export function singleDetail(
  title: string,
  results: BenchResults,
  runsOf: (point: BenchResults['single'][number]) => readonly HttpLegRun[],
  withLag: boolean,
): string[] {
  return [
    `## POST /events/generate (single events): ${title}`,
    table(
      [
        'Connections',
        'Accepted/s',
        'p50 / p99 / max ms',
        'Responses (all runs)',
        ...(withLag ? ['Lag 0 after load, s'] : []),
        'CPU %',
        'Peak RSS MB',
        'Load generator CPU %',
      ],
      results.single.map((point) => {
        const runs = runsOf(point);
        return [
          String(point.connections),
          count(med(runs, (run) => run.acceptedPerSecond)),
          latencies(runs),
          statuses(runs),
          ...(withLag
            ? [
                decimal(
                  med(runs, (run) => (run.lagZeroAfterMs ?? NaN) / 1000),
                  2,
                ),
              ]
            : []),
          count(med(runs, (run) => run.usage.cpuPercent)),
          count(med(runs, (run) => run.usage.peakRssMb)),
          count(med(runs, (run) => run.generatorCpuPercent)),
        ];
      }),
    ),
  ];
}
