import type { TopLevelSpec } from 'vega-lite/build/index';
import { renderSpec } from '../bench/pipeline/chart';
import type { SoakResults } from './soak-results';

/** Both panels on one time axis, from the start to the end of the soak. */
const minutesAxis = (minutes: number) => ({
  field: 'minutes',
  type: 'quantitative' as const,
  title: 'minutes into the soak',
  scale: { domain: [0, minutes] },
});

type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** A dashed rule and its label at each node restart, over the panel's own layers. */
const restartLayers = (
  restarts: Array<{ minutes: number; label: string }>,
  x: ReturnType<typeof minutesAxis>,
): Layer[] => [
  {
    data: { values: restarts },
    mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
    encoding: { x },
  },
  {
    data: { values: restarts },
    mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'top', color: '#555' },
    encoding: { x, y: { value: 0 }, text: { field: 'label' } },
  },
];

/** The Vega-Lite spec: RSS and live heap over time, then p99 per minute, restarts marked. */
export function soakChartSpec(results: SoakResults): TopLevelSpec {
  const restarts = results.restarts.done.map((one) => ({
    minutes: one.stoppingAtSeconds / 60,
    label: `node ${one.node} restarted`,
  }));
  const memory = [
    ...results.memory.rss.map((point) => ({ ...point, series: 'RSS' })),
    ...results.memory.liveHeap.map((point) => ({ ...point, series: 'live heap after a GC' })),
  ].map(({ atSeconds, mb, series }) => ({ minutes: atSeconds / 60, mb, series }));
  const p99 = results.minutes
    .filter((row) => Number.isFinite(row.singleP99Ms))
    .map((row) => ({ minutes: row.minute - 0.5, p99: row.singleP99Ms }));
  const x = minutesAxis(results.soakSeconds / 60);
  return {
    title: {
      text: "Soak: the service's memory and single-POST p99",
      subtitle: `${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${(results.soakSeconds / 60).toFixed(1)} min at ${Math.round(results.targetRate)} requests/s`,
    },
    vconcat: [
      {
        width: 560,
        height: 220,
        layer: [
          {
            data: { values: memory },
            mark: { type: 'line', point: { size: 12 } },
            encoding: {
              x,
              y: { field: 'mb', type: 'quantitative', title: 'MB' },
              color: {
                field: 'series',
                type: 'nominal',
                title: null,
                legend: { orient: 'top', labelLimit: 0 },
              },
            },
          },
          ...restartLayers(restarts, x),
        ],
      },
      {
        width: 560,
        height: 160,
        layer: [
          {
            data: { values: p99 },
            mark: { type: 'line', point: { color: '#c44' }, color: '#c44' },
            encoding: {
              x,
              y: { field: 'p99', type: 'quantitative', title: 'single POST p99 per minute, ms' },
            },
          },
          ...restartLayers(restarts, x),
        ],
      },
    ],
    config: { background: 'white', font: 'sans-serif' },
  };
}

export const renderSoakChart = (results: SoakResults): Promise<string> =>
  renderSpec(soakChartSpec(results));
