import type { HttpLegRun } from './http-legs';
import type { BenchResults } from './results';
import { median } from './stats';

/**
 * CPU time (utime + stime) per event of one process in one leg of the service, beside the same
 * figure of that leg's ceiling and of the load generator, µs (medians over the repetitions). The
 * single-POST legs are in the summary's `single` rows instead, beside both of their ceilings.
 */
export interface CpuPerEventRow {
  readonly leg: string;
  readonly process: string;
  readonly microsecondsPerEvent: number;
  readonly ceiling?: { readonly name: string; readonly microsecondsPerEvent: number };
  readonly loadGenerator?: { readonly name: string; readonly microsecondsPerEvent: number };
}

type Measured = Omit<BenchResults, 'summary'>;

const med = <T>(runs: readonly T[], figure: (run: T) => number): number => median(runs.map(figure));

const generatorOf = (runs: readonly HttpLegRun[]): CpuPerEventRow['loadGenerator'] => ({
  name: runs[0]?.generator ?? 'unknown',
  microsecondsPerEvent: med(runs, (run) => run.cpuMicrosecondsPerEvent.loadGenerator),
});

/** The batch, latency, drain and scaling legs. */
export function cpuPerEvent(results: Measured): CpuPerEventRow[] {
  const { batch, latency, drain, scaling } = results;
  const drainRow = (store: 'memory' | 'postgres'): number =>
    med(drain[store], (run) => run.usage.cpuMicrosecondsPerEvent ?? NaN);
  return [
    ...batch.map((point): CpuPerEventRow => ({
      leg: `POST /events/batch, ${point.size} per request`,
      process: 'service (from the load until lag 0)',
      microsecondsPerEvent: med(point.service, (run) => run.cpuMicrosecondsPerEvent.server),
      loadGenerator: generatorOf(point.service),
    })),
    {
      leg: `end-to-end latency, ${latency[0]?.rate ?? NaN} POSTs/s`,
      process: 'service (from the load until lag 0)',
      microsecondsPerEvent: med(latency, (run) => run.load.cpuMicrosecondsPerEvent.server),
      loadGenerator: generatorOf(latency.map((run) => run.load)),
    },
    {
      leg: 'backlog drain, memory store',
      process: 'service (whole life until lag 0)',
      microsecondsPerEvent: drainRow('memory'),
      ceiling: {
        name: 'bare kafkajs consumer (whole life)',
        microsecondsPerEvent: med(drain.bareConsumer, (run) => run.cpuMicrosecondsPerEvent),
      },
    },
    {
      leg: 'backlog drain, PostgreSQL store',
      process: 'service (whole life until lag 0)',
      microsecondsPerEvent: drainRow('postgres'),
    },
    ...scaling.points.map((point): CpuPerEventRow => ({
      leg: `cluster drain, ${point.instances} instance(s), STORE=postgres`,
      process: 'all instances (spawn until lag 0)',
      microsecondsPerEvent: med(point.runs, (run) => run.cpuMicrosecondsPerEvent),
    })),
  ];
}
