// Takes docs/console.png: the console of a service on Kafka while events flow through it.
//   KAFKA_BROKERS=127.0.0.1:9092 npm run console:screenshot [-- <file> [<width>]]
import 'reflect-metadata';
import { startService } from '../../src/composition-root';
import { testConfig } from '../../test/support/test-config';
import { launchBrowser } from '../../test/support/browser';
import { produceRaw } from '../../test/support/raw-kafka';

const SECONDS_OF_TRAFFIC = 40;

async function main([file = 'docs/console.png', width = '1280'] = process.argv.slice(2)) {
  const brokers = process.env.KAFKA_BROKERS;
  if (brokers === undefined) throw new Error('set KAFKA_BROKERS to a broker to run against');
  const topic = `console-screenshot-${Date.now()}`;
  const service = await startService(
    testConfig({
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      KAFKA_CLIENT_ID: `console-screenshot-${Date.now()}`,
    }),
  );
  const url = `http://127.0.0.1:${(await service.listen(0, '127.0.0.1')).port}`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    await page.goto(`${url}/console`);
    await page.getByRole('button', { name: 'The service has no keys' }).click();
    const users = ['alice', 'bob', 'carol', 'dave'];
    const types = ['LOGIN', 'PAGE_VIEW', 'PURCHASE', 'LOGOUT'];
    for (let second = 0; second < SECONDS_OF_TRAFFIC; second += 1) {
      // A load that rises and falls, so that the charts have a shape.
      const count = 20 + Math.round(80 * Math.abs(Math.sin(second / 6)));
      const events = Array.from({ length: count }, (_, n) => ({
        userId: users[n % users.length],
        eventType: types[(n + second) % types.length],
      }));
      await fetch(`${url}/events/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // A record that is not JSON, written behind the service's back: a dead letter to show.
    await produceRaw(brokers.split(','), topic, [{ key: 'alice', value: '{"userId": "alice", ' }]);
    for (
      let tries = 0;
      tries < 20 && (await page.locator('#letters tbody tr').count()) === 0;
      tries += 1
    ) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.locator('#letters-state', { hasNotText: 'Reading' }).waitFor();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const first = await page.locator('#tail li button').first().textContent();
    await page.getByLabel('eventId').fill(first ?? '');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#status-result .status').waitFor();
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
  } finally {
    await browser.close();
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
