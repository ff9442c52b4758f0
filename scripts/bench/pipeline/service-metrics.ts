/** The counters of the service's own GET /metrics that the bench checks its figures against. */
export interface EventCounters {
  readonly published: number;
  readonly processed: number;
  readonly duplicates: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;

/** One scrape of the service's GET /metrics, read as Prometheus reads the text format. */
export async function eventCounters(url: string): Promise<EventCounters> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET ${url}/metrics answered ${response.status}`);
  const samples = (await response.text()).split('\n').flatMap((line) => {
    const match = SAMPLE.exec(line);
    return match === null
      ? []
      : [{ name: match[1], labels: match[2] ?? '', value: Number(match[3]) }];
  });
  const value = (name: string, labels = ''): number =>
    samples.find((sample) => sample.name === name && sample.labels === labels)?.value ?? 0;
  return {
    published: value('events_published_total'),
    processed: value('events_processed_total', 'outcome="processed"'),
    duplicates: value('events_processed_total', 'outcome="duplicate"'),
  };
}

/** What changed between two scrapes. */
export const countersSince = (before: EventCounters, after: EventCounters): EventCounters => ({
  published: after.published - before.published,
  processed: after.processed - before.processed,
  duplicates: after.duplicates - before.duplicates,
});
