// @ts-check
// GET /metrics read as a Prometheus server reads the text format, and the figures the charts
// draw worked out from two scrapes of it.

/** @typedef {{ name: string, labels: Record<string, string>, value: number }} Sample */

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of one scrape.
 * @param {string} text
 * @returns {Sample[]}
 */
export function parseMetrics(text) {
  return text.split('\n').flatMap((line) => {
    const match = SAMPLE.exec(line);
    if (match === null) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(LABEL)].map((l) => [l[1], l[2]]),
    );
    return [{ name: match[1] ?? '', labels, value: Number(match[3]) }];
  });
}

/**
 * The sum of every sample of `name` whose labels include `labels`; undefined when none was
 * exposed (a process that does not run that part).
 * @param {Sample[]} samples
 * @param {string} name
 * @param {Record<string, string>} [labels]
 */
export function total(samples, name, labels = {}) {
  const wanted = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return wanted.length === 0 ? undefined : wanted.reduce((sum, sample) => sum + sample.value, 0);
}

/**
 * The cumulative counts of a histogram, by upper bound, ascending (+Inf last).
 * @param {Sample[]} samples
 * @param {string} name the histogram's name, without `_bucket`
 * @returns {Array<[number, number]>}
 */
export function buckets(samples, name) {
  return samples
    .filter((sample) => sample.name === `${name}_bucket`)
    .map((sample) => /** @type {[number, number]} */ ([Number(sample.labels.le), sample.value]))
    .sort(([a], [b]) => a - b);
}

/**
 * The `q` quantile of what a histogram observed between two scrapes, by linear interpolation in
 * its bucket as Prometheus' histogram_quantile does; undefined when it observed nothing.
 * @param {Array<[number, number]>} earlier
 * @param {Array<[number, number]>} later
 * @param {number} q
 */
export function quantileBetween(earlier, later, q) {
  const before = new Map(earlier);
  const counts = later.map(([le, count]) => [le, count - (before.get(le) ?? 0)]);
  const observed = counts.at(-1)?.[1] ?? 0;
  if (observed <= 0) return undefined;
  const rank = q * observed;
  let lower = 0;
  let below = 0;
  for (const [le = 0, count = 0] of counts) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(count - below, 1e-9);
    }
    lower = le;
    below = count;
  }
  return lower;
}

/**
 * The consumer lag of each partition, by `partition N` (by `topic/N` when several topics show).
 * @param {Sample[]} samples
 * @returns {Map<string, number>}
 */
export function lagByPartition(samples) {
  const lags = samples.filter((sample) => sample.name === 'kafka_consumer_lag');
  const topics = new Set(lags.map((sample) => sample.labels.topic));
  const name = (/** @type {Sample} */ { labels }) =>
    topics.size > 1 ? `${labels.topic}/${labels.partition}` : `partition ${labels.partition}`;
  return new Map(
    lags
      .map((sample) => /** @type {[string, number]} */ ([name(sample), sample.value]))
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })),
  );
}
