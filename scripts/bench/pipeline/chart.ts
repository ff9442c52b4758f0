import type { TopLevelSpec } from 'vega-lite/build/index';
import type { BenchResults } from './results';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite/build/index');

// Vega 6 and Vega-Lite 6 are ES modules with top-level await, which require() cannot load; this
// import() stays an import() (TypeScript would turn a plain one into require() for CommonJS).
const importModule = new Function('specifier', 'return import(specifier)') as <T>(
  specifier: string,
) => Promise<T>;

/** The Vega-Lite spec: each run as a point, the median as a line, service and both ceilings. */
export function chartSpec(results: BenchResults): TopLevelSpec {
  const values = results.single.flatMap(({ connections, service, noop, bare }) => [
    ...service.map((run) => ({
      connections,
      series: 'service',
      acceptedPerSecond: run.acceptedPerSecond,
    })),
    ...noop.map((run) => ({
      connections,
      series: 'no-op Koa route (ceiling)',
      acceptedPerSecond: run.acceptedPerSecond,
    })),
    ...bare.map((run) => ({
      connections,
      series: 'bare Koa + router + bodyparser (ceiling)',
      acceptedPerSecond: run.acceptedPerSecond,
    })),
  ]);
  const x = {
    field: 'connections',
    type: 'ordinal',
    title: 'connections (concurrent requests)',
    axis: { labelAngle: 0 },
  } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    legend: { orient: 'top', labelLimit: 0 },
  } as const;
  return {
    title: {
      text: 'POST /events/generate: accepted events/s by concurrency',
      subtitle: `${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${results.mode} run, median line over ${results.settings.repetitions} run(s), points = each run`,
    },
    width: 520,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          color,
          y: {
            aggregate: 'median',
            field: 'acceptedPerSecond',
            type: 'quantitative',
            title: 'accepted events/s (201 per second)',
          },
        },
      },
      {
        mark: { type: 'point', opacity: 0.5, filled: true, size: 30 },
        encoding: { x, color, y: { field: 'acceptedPerSecond', type: 'quantitative' } },
      },
    ],
    config: { background: 'white', font: 'sans-serif' },
  };
}

/** The bench's chart of `results` as SVG. */
export const renderChart = (results: BenchResults): Promise<string> =>
  renderSpec(chartSpec(results));

/** Compiles a spec with Vega-Lite and renders it to SVG with Vega's headless view. */
export async function renderSpec(spec: TopLevelSpec): Promise<string> {
  const vegaLite = await importModule<VegaLite>('vega-lite');
  const vega = await importModule<Vega>('vega');
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
