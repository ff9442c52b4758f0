import { count, decimal, latencies, med, micros, statuses, table } from './markdown-format';
import type { BenchResults } from './results';

/** Tracing's cost: single POSTs with tracing off, always on and at 10 %, same load. */
export function tracingSection(results: BenchResults): string[] {
  const off = results.tracing.find((point) => point.mode === 'off');
  const offRate = off === undefined ? NaN : med(off.runs, (run) => run.eventsPerSecond);
  const rows = results.tracing.map((point) => {
    const rate = med(point.runs, (run) => run.eventsPerSecond);
    return [
      `POST /events/generate, ${point.connections} connections, tracing ${point.mode}`,
      count(rate),
      decimal(rate / offRate, 2),
      latencies(point.runs),
      statuses(point.runs),
      micros(med(point.runs, (run) => run.cpuMicrosecondsPerEvent.server)),
    ];
  });
  return [
    '## Tracing: OpenTelemetry off, always on and at 10 % (STORE=memory)',
    table(
      ['Leg', 'Accepted/s', '× off', 'p50 / p99 / max ms', 'Responses (all runs)', 'CPU µs/event'],
      rows,
    ),
    'Off: no OTLP endpoint, so none of the SDK runs. On: a server span per request, a producer ' +
      'and a consumer span per event, exported over OTLP/HTTP (protobuf) by the batch span ' +
      "processor to a stand-in collector in a process of its own (its CPU is in the processes' " +
      'table, not the service’s). Each service on a topic and group of its own; they take the load in turn.',
  ];
}
