import type { HttpLegRun } from './http-legs';
import type { BenchResults } from './results';
import { median } from './stats';

/** Medians of one kind of server's single-POST runs at one connection count. */
export interface SingleFigures {
  readonly acceptedPerSecond: number;
  /** The server's CPU per event accepted, µs. */
  readonly serverMicrosecondsPerEvent: number;
  /** The load generator's CPU per event accepted, µs, in the same runs. */
  readonly loadGeneratorMicrosecondsPerEvent: number;
}

/**
 * The single POSTs at one connection count: the service (on Kafka) over both of its ceilings,
 * and the no-op route (the service's own stack, no broker) over the bare framework.
 */
export interface SingleCeilingsRow {
  readonly connections: number;
  readonly service: SingleFigures;
  readonly noop: SingleFigures;
  readonly bare: SingleFigures;
  readonly serviceToNoop: number;
  readonly serviceToBare: number;
  readonly noopToBare: number;
}

const figures = (runs: readonly HttpLegRun[]): SingleFigures => ({
  acceptedPerSecond: median(runs.map((run) => run.acceptedPerSecond)),
  serverMicrosecondsPerEvent: median(runs.map((run) => run.cpuMicrosecondsPerEvent.server)),
  loadGeneratorMicrosecondsPerEvent: median(
    runs.map((run) => run.cpuMicrosecondsPerEvent.loadGenerator),
  ),
});

/** One row per connection count; each ratio is a median over a median, as in the summary. */
export function singleCeilings(single: BenchResults['single']): SingleCeilingsRow[] {
  return single.map((point) => {
    const [service, noop, bare] = [point.service, point.noop, point.bare].map(figures) as [
      SingleFigures,
      SingleFigures,
      SingleFigures,
    ];
    return {
      connections: point.connections,
      service,
      noop,
      bare,
      serviceToNoop: service.acceptedPerSecond / noop.acceptedPerSecond,
      serviceToBare: service.acceptedPerSecond / bare.acceptedPerSecond,
      noopToBare: noop.acceptedPerSecond / bare.acceptedPerSecond,
    };
  });
}
