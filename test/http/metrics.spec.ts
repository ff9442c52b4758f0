import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { scrapeMetrics } from '../support/metrics-scrape';
import { eventually } from '../support/eventually';
import { seedLoginBody } from '../support/builders';
import { unique } from '../support/unique';

describe('GET /metrics after real traffic', () => {
  let app: RunningService;
  before(async () => (app = await runService()));
  after(async () => app.stop());

  it('counts requests by route template and status, and events by outcome', async () => {
    const before = await scrapeMetrics(app.url);
    const userId = unique('metered');
    const ids: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const response = await postJson(`${app.url}/events/generate`, seedLoginBody(userId));
      ids.push(((await response.json()) as { eventId: string }).eventId);
    }
    await postJson(`${app.url}/events/generate`, { userId });
    await postJson(`${app.url}/events/generate`, { ...seedLoginBody(userId), eventId: ids[0] });
    const { url } = app;
    await eventually('the events processed', async () =>
      (await fetch(`${url}/events/processed/${ids[2]}`)).status === 200 ? true : undefined,
    );
    await fetch(`${url}/events/processed/${ids[0]}`);
    await fetch(`${url}/no/such/route`);
    const after = await eventually('the duplicate settled', async () => {
      const scrape = await scrapeMetrics(url);
      return scrape.value('events_processed_total', { outcome: 'duplicate' }) === 1
        ? scrape
        : undefined;
    });

    const moved = (name: string, labels?: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    const requests = (method: string, route: string, status: string) =>
      moved('http_request_duration_seconds_count', { method, route, status });
    expect(requests('POST', '/events/generate', '201')).to.equal(4);
    expect(requests('POST', '/events/generate', '400')).to.equal(1);
    // One when the wait above saw the last event processed, one for the first event's receipt.
    expect(requests('GET', '/events/processed/:eventId', '200')).to.equal(2);
    expect(requests('GET', 'unmatched', '404')).to.equal(1);
    expect(moved('events_published_total')).to.equal(4);
    expect(moved('events_processed_total', { outcome: 'processed' })).to.equal(3);
    expect(moved('events_processed_total', { outcome: 'duplicate' })).to.equal(1);
    expect(moved('events_end_to_end_latency_seconds_count')).to.equal(3);
    expect(after.value('events_end_to_end_latency_seconds_bucket', { le: '+Inf' })).to.equal(
      after.value('events_end_to_end_latency_seconds_count'),
    );
  });

  it('exposes the process defaults in the Prometheus text format', async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const scrape = await scrapeMetrics(app.url);
    expect(scrape.value('process_cpu_user_seconds_total')).to.be.greaterThan(0);
    expect(scrape.value('nodejs_heap_size_used_bytes')).to.be.greaterThan(0);
    expect(scrape.text).to.include('# TYPE http_request_duration_seconds histogram');
  });
});
