// @ts-check
// The charts of the last five minutes, worked out from a scrape of GET /metrics every 2 s.
import { uPlot } from './vendor.js';
import { pause, problemText, request } from './api.js';
import { buckets, lagByPartition, parseMetrics, quantileBetween, total } from './metrics-text.js';

const SCRAPE_MS = 2000;
const WINDOW_SECONDS = 300;
const HEIGHT = 180;
const LATENCY = 'events_end_to_end_latency_seconds';
// Distinct from each other and at least 4.5:1 against the white page.
const COLOURS = ['#1f4e9e', '#b34700', '#2e6b30', '#7b1fa2', '#00695c', '#ad1457'];

/** @typedef {{ at: number, samples: import('./metrics-text.js').Sample[] }} Scrape */
/** @typedef {number | null} Point */

/** One figure: a uPlot chart drawn again with every scrape, its series by label. */
class Chart {
  /** @param {HTMLElement} figure */
  constructor(figure) {
    this.figure = figure;
    /** @type {import('uplot') | undefined} */
    this.plot = undefined;
    this.labels = '';
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(
      figure,
    );
  }

  width() {
    return Math.max(this.figure.clientWidth, 200);
  }

  /**
   * @param {number[]} times seconds since the epoch
   * @param {Map<string, Point[]>} series by label
   */
  draw(times, series) {
    const labels = [...series.keys()];
    /** @type {import('uplot').AlignedData} */
    const data = [times, ...series.values()];
    if (this.plot === undefined || labels.join('\n') !== this.labels) {
      // A partition that appears or leaves is a series that appears or leaves: a new chart.
      this.plot?.destroy();
      this.plot = new uPlot(
        {
          width: this.width(),
          height: HEIGHT,
          scales: { x: { time: true } },
          series: [
            {},
            ...labels.map((label, n) => ({ label, stroke: COLOURS[n % COLOURS.length], width: 2 })),
          ],
        },
        data,
        this.figure,
      );
      this.labels = labels.join('\n');
    } else this.plot.setData(data);
    this.figure.dataset.samples = String(times.length);
    this.figure.dataset.series = String(labels.length);
  }
}

/** The points of the last five minutes, each series as long as the times. */
class History {
  constructor() {
    /** @type {number[]} */
    this.times = [];
    /** @type {Map<string, Map<string, Point[]>>} points by chart, then by series */
    this.charts = new Map();
  }

  /**
   * @param {number} at
   * @param {Record<string, Map<string, Point>>} points by chart, then by series
   */
  add(at, points) {
    this.times.push(at);
    for (const [chart, values] of Object.entries(points)) {
      const series = this.charts.get(chart) ?? new Map();
      this.charts.set(chart, series);
      for (const [label, value] of values) {
        if (!series.has(label))
          series.set(
            label,
            this.times.slice(1).map(() => null),
          );
        series.get(label)?.push(value);
      }
      // A series not in this scrape (a partition gone) has no point here.
      for (const [label, list] of series)
        if (!values.has(label) && list.length < this.times.length) list.push(null);
    }
    const old = this.times.findIndex((time) => time >= at - WINDOW_SECONDS);
    if (old > 0) {
      this.times.splice(0, old);
      for (const series of this.charts.values())
        for (const list of series.values()) list.splice(0, old);
    }
  }

  /** @param {string} chart */
  series(chart) {
    return this.charts.get(chart) ?? new Map();
  }
}

/**
 * What happened between two scrapes, per chart and series.
 * @param {Scrape} earlier
 * @param {Scrape} later
 * @returns {Record<string, Map<string, Point>>}
 */
function pointsBetween(earlier, later) {
  const seconds = later.at - earlier.at;
  /** @param {string} name @param {Record<string, string>} [labels] */
  const rate = (name, labels) => {
    const [before, after] = [
      total(earlier.samples, name, labels),
      total(later.samples, name, labels),
    ];
    // Not exposed by this process, or counted from zero again after a restart: no point.
    if (before === undefined || after === undefined || after < before) return null;
    return (after - before) / seconds;
  };
  /** @param {number} q */
  const latency = (q) => {
    const value = quantileBetween(
      buckets(earlier.samples, LATENCY),
      buckets(later.samples, LATENCY),
      q,
    );
    return value === undefined ? null : Math.round(value * 1000);
  };
  return {
    throughput: new Map([
      ['accepted/s', rate('events_published_total')],
      ['processed/s', rate('events_processed_total', { outcome: 'processed' })],
    ]),
    lag: lagByPartition(later.samples),
    latency: new Map([
      ['p50 ms', latency(0.5)],
      ['p99 ms', latency(0.99)],
    ]),
  };
}

/**
 * Scrapes and draws until `signal` aborts.
 * @param {{ throughput: HTMLElement, lag: HTMLElement, latency: HTMLElement, state: HTMLElement }} view
 * @param {AbortSignal} signal
 */
export async function runCharts(view, signal) {
  const charts = {
    throughput: new Chart(view.throughput),
    lag: new Chart(view.lag),
    latency: new Chart(view.latency),
  };
  const history = new History();
  /** @type {Scrape | undefined} */
  let previous;
  while (!signal.aborted) {
    const response = await request('/metrics', 'metrics', { signal }).catch(() => undefined);
    if (response === undefined)
      view.state.textContent = 'GET /metrics: the service does not answer';
    else if (!response.ok) view.state.textContent = `GET /metrics: ${await problemText(response)}`;
    else {
      const scrape = { at: Date.now() / 1000, samples: parseMetrics(await response.text()) };
      if (previous !== undefined) {
        history.add(scrape.at, pointsBetween(previous, scrape));
        for (const [name, chart] of Object.entries(charts))
          chart.draw(history.times, history.series(name));
        view.state.textContent = `Scraped ${new Date().toLocaleTimeString()}`;
      }
      previous = scrape;
    }
    await pause(SCRAPE_MS, signal);
  }
}
