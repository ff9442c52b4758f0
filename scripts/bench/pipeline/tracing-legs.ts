import { retire } from './bench-process';
import { progress, type BenchContext } from './context';
import { HttpLegs, type HttpLegRun } from './http-legs';
import { startOtlpSinkProcess } from './http-processes';
import { startDeployment } from './role-legs';
import { inTurn } from './in-turn';
import type { LoadGenerator } from './load-generator';
import type { BenchResults } from './results';

/** How a traced leg samples; `off`: no OTLP endpoint, so no SDK at all. */
export type TracingMode = 'off' | 'always_on' | 'traceidratio 0.1';

/** Single POSTs against the service with tracing off and on, same load. */
export interface TracingPoint {
  readonly mode: TracingMode;
  readonly connections: number;
  readonly runs: readonly HttpLegRun[];
}

type Processes = Array<BenchResults['processes'][number]>;

const CONNECTIONS = 64;
const MODES: readonly TracingMode[] = ['off', 'always_on', 'traceidratio 0.1'];

const samplerOf = (mode: Exclude<TracingMode, 'off'>) =>
  mode === 'always_on'
    ? { OTEL_TRACES_SAMPLER: 'always_on' }
    : { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };

/**
 * Tracing's cost: the service (STORE=memory) with tracing off, on with every trace sampled, and
 * on with a tenth of them, each exporting over OTLP/HTTP (protobuf, the default) to a stand-in
 * collector in a process of its own; single POSTs at 64 connections, taking turns.
 */
export async function tracingPhase(
  context: BenchContext,
  load: LoadGenerator,
  processes: Processes,
): Promise<TracingPoint[]> {
  progress(`starting the service with tracing off, always on and at 10 % (${context.client})`);
  const sink = await startOtlpSinkProcess(context.cleanup);
  const deployments = await Promise.all(
    MODES.map((mode, index) =>
      startDeployment(context, `tracing-${index}`, ['all'], {
        STORE: 'memory',
        ...(mode === 'off' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, ...samplerOf(mode) }),
      }),
    ),
  );
  const legs = new HttpLegs(context, { load, rateLimited: load });
  for (const deployment of deployments) {
    await legs.warmUp(deployment.process, context.settings.serviceWarmUpSeconds);
    await deployment.lag.untilZero(120_000);
  }
  const points = MODES.map((mode) => ({
    mode,
    connections: CONNECTIONS,
    runs: [] as HttpLegRun[],
  }));
  for (let repetition = 0; repetition < context.settings.repetitions; repetition += 1) {
    const turns = deployments.map(
      (deployment, index) => () =>
        legs.singleOnService(deployment, CONNECTIONS).then((run) => points[index]!.runs.push(run)),
    );
    for (const turn of inTurn(turns, repetition)) await turn();
  }
  for (const deployment of deployments) await deployment.stop(processes);
  await retire([sink], processes);
  return points;
}
