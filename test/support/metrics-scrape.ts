/** One scrape of GET /metrics, read as a Prometheus server would read the text format. */
export interface Scrape {
  readonly text: string;
  /** The value of the sample with exactly these labels, or 0 when it was not exposed. */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** Every sample of `name`, whatever its labels. */
  samples(name: string): ReadonlyArray<{ labels: Record<string, string>; value: number }>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export async function scrapeMetrics(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const parsed = text.split('\n').flatMap((line) => {
    const match = SAMPLE.exec(line);
    if (match === null) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(LABEL)].map((l) => [l[1]!, l[2]!]),
    );
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
  const samples = (name: string) => parsed.filter((sample) => sample.name === name);
  return {
    text,
    samples,
    value: (name, labels = {}) =>
      samples(name).find(
        (sample) =>
          Object.keys(sample.labels).length === Object.keys(labels).length &&
          Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
      )?.value ?? 0,
  };
}
