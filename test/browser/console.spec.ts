import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, pageTroubles } from '../support/browser';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { unique } from '../support/unique';
import { eventually } from '../support/eventually';
import { FaultyStore } from '../support/faulty-store';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';

const WRITE_KEY = 'console-write-key';
const METRICS_TOKEN = 'console-metrics-token';

describe('GET /console in a real browser, on Kafka with keys set', function () {
  this.timeout(60_000);
  let app: RunningService;
  let browser: Browser;
  let page: Page;
  let troubles: string[];

  const publish = async (userId: string) => {
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody(userId), {
      Authorization: `Bearer ${WRITE_KEY}`,
    });
    expect(response.status).to.equal(201);
    return ((await response.json()) as { eventId: string }).eventId;
  };

  before(async () => {
    app = await runService({
      ...(await onKafka(unique('console'))),
      API_KEYS: WRITE_KEY,
      METRICS_TOKEN,
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    troubles = pageTroubles(page);
    await page.goto(`${app.url}/console`);
    await page.getByLabel('API key').fill(WRITE_KEY);
    await page.getByLabel('Metrics token').fill(METRICS_TOKEN);
    await page.getByRole('button', { name: 'Use keys' }).click();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('loads with a strict policy and no error in the page', async () => {
    const response = await page.request.get(`${app.url}/console`);
    expect(response.headers()['content-security-policy']).to.include("script-src 'self'");
    expect(response.headers()['content-security-policy']).to.not.include('unsafe-inline');
    await page.locator('#readiness .check-up[data-part="consumer"]').waitFor();
    expect(troubles, troubles.join('\n')).to.deep.equal([]);
  });

  it('shows a POST in the live tail as it is processed', async () => {
    await page.locator('#tail-state', { hasText: 'Following' }).waitFor();
    const started = Date.now();
    const eventId = await publish(unique('tailed'));
    await page.locator(`#tail li[data-event-id="${eventId}"]`).waitFor();
    // Reported, not asserted: two shared cores make a wall-clock bound flaky (issue 23 asks 2 s).
    console.log(`      POST to live tail: ${Date.now() - started} ms`);
  });

  it('draws the lag of each partition', async () => {
    await publish(unique('lagged'));
    const lag = page.locator('#lag-chart');
    await lag.locator('canvas').waitFor();
    await eventually('two scrapes drawn, with a series per partition', async () => {
      const [samples, series] = await Promise.all(
        ['data-samples', 'data-series'].map(async (name) => Number(await lag.getAttribute(name))),
      );
      return samples! >= 2 && series! >= 1 ? true : undefined;
    });
    expect(await lag.locator('.u-legend .u-series').count()).to.be.greaterThan(1);
  });

  it('works out latency quantiles as histogram_quantile does', async () => {
    // Between two scrapes: 10 events at most 0.1 s, 10 more at most 0.5 s, none slower.
    const quantiles = await page.evaluate(`import('/console/metrics-text.js').then((m) => {
      const earlier = [[0.1, 5], [0.5, 5], [Infinity, 5]];
      const later = [[0.1, 15], [0.5, 25], [Infinity, 25]];
      return [0.25, 0.5, 0.99].map((q) => m.quantileBetween(earlier, later, q));
    })`);
    const [p25, p50, p99] = quantiles as number[];
    expect(p25).to.be.closeTo(0.05, 1e-9);
    expect(p50).to.be.closeTo(0.1, 1e-9);
    expect(p99).to.be.closeTo(0.1 + 0.4 * 0.98, 1e-9);
  });

  it('fits a 360 px wide screen without scrolling sideways', async () => {
    const narrow = await browser.newPage({ viewport: { width: 360, height: 740 } });
    try {
      await narrow.goto(`${app.url}/console`);
      // The keys of the first page are this tab's, not this one's: it asks for them.
      await narrow.getByLabel('API key').fill(WRITE_KEY);
      await narrow.getByLabel('Metrics token').fill(METRICS_TOKEN);
      await narrow.getByRole('button', { name: 'Use keys' }).click();
      await narrow.locator('#throughput-chart canvas').waitFor();
      const width = await narrow.evaluate('document.documentElement.scrollWidth');
      expect(width).to.be.at.most(360);
    } finally {
      await narrow.close();
    }
  });

  it('holds the tail still while it is pointed at', async () => {
    await page.locator('#tail').hover();
    const eventId = await publish(unique('held'));
    await page.locator('#tail-paused', { hasText: '1 new events wait' }).waitFor();
    expect(await page.locator(`#tail li[data-event-id="${eventId}"]`).count()).to.equal(0);
    await page.mouse.move(0, 0);
    await page.locator(`#tail li[data-event-id="${eventId}"]`).waitFor();
    expect(troubles, troubles.join('\n')).to.deep.equal([]);
  });

  it('finds an event in the status box, from the tail or typed', async () => {
    const eventId = await publish(unique('looked-up'));
    await page.locator(`#tail li[data-event-id="${eventId}"] button`).click();
    const result = page.locator('#status-result .status');
    await result.and(page.locator('[data-status="processed"]')).waitFor();
    expect(await result.textContent()).to.equal(`${eventId}: processed`);
    expect(troubles, troubles.join('\n')).to.deep.equal([]);
    // Last: the browser reports the 404 it is answered as an error of its own.
    const unknown = randomUUID();
    await page.getByLabel('eventId').fill(unknown);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#status-result', { hasText: `Unknown event` }).waitFor();
    expect(await page.locator('#status-result').textContent()).to.include(unknown);
  });
});

describe('GET /console replaying a dead letter, in a real browser', function () {
  this.timeout(90_000);
  let app: RunningService;
  let store: FaultyStore;
  let browser: Browser;

  before(async () => {
    store = new FaultyStore({ saveIfNew: 'unavailable' });
    app = await runService(
      { ...(await onKafka(unique('console-letters'))), PROCESS_MAX_ATTEMPTS: '2' },
      (container) => container.register(PROCESSED_EVENT_STORE, { useValue: store }),
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('lists the letter, replays it, and then shows its event as processed', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const troubles = pageTroubles(page);
    await page.goto(`${app.url}/console`);
    await page.getByRole('button', { name: 'The service has no keys' }).click();
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody(unique('doomed')));
    const { eventId } = (await response.json()) as { eventId: string };
    const row = page.locator(`#letters tr[data-event-id="${eventId}"]`);
    await eventually(
      'the letter listed',
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.locator('#letters-state', { hasNotText: 'Reading' }).waitFor();
        return (await row.count()) === 1 ? true : undefined;
      },
      60_000,
      500,
    );
    expect(await row.locator('td').nth(2).textContent()).to.equal('retries-exhausted');

    store.heal();
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Replay 1 selected' }).click();
    await row.locator('.now[data-status="processed"]').waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: `Show the status of ${eventId}` }).click();
    await page.locator('#status-result [data-status="processed"]').waitFor();
    expect(troubles, troubles.join('\n')).to.deep.equal([]);
  });
});
