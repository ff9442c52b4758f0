import { expect } from 'chai';
import { ControllableBroker } from '../support/controllable-broker';
import { postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { seedLoginBody } from '../support/builders';

const PUBLISH_TIMEOUT_MS = 1000;

describe('a broker that is down when the service starts', function () {
  this.timeout(180_000);
  const broker = new ControllableBroker('down-at-start', 19392);
  let app: RunningService | undefined;
  before(() => broker.reset());
  after(async () => {
    await app?.stop();
    await broker.stop();
  });

  it('starts anyway, answers 503 within the deadline, and recovers by itself once the broker is up', async () => {
    app = await runService({
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: broker.address,
      KAFKA_TOPIC: unique('outage'),
      KAFKA_CLIENT_ID: unique('svc'),
      PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
    });
    const notReady = await fetch(`${app.url}/health/ready`);
    expect(notReady.status).to.equal(503);
    expect(await notReady.json()).to.deep.include({ status: 'not ready' });

    const started = Date.now();
    const refused = await postJson(`${app.url}/events/generate`, seedLoginBody());
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
    // Bounded by the publish deadline, with room for two loaded cores, not by kafkajs' own
    // retries of the connection (about 9 s).
    expect(Date.now() - started).to.be.below(5 * PUBLISH_TIMEOUT_MS);

    await broker.start();
    const { url } = app;
    await eventually(
      'readiness after the broker came up',
      async () => ((await fetch(`${url}/health/ready`)).status === 200 ? true : undefined),
      90_000,
      250,
    );
    const accepted = await postJson(`${url}/events/generate`, seedLoginBody());
    expect(accepted.status).to.equal(201);
    const { eventId } = (await accepted.json()) as { eventId: string };
    await eventually(
      'the event processed',
      async () =>
        (await fetch(`${url}/events/processed/${eventId}`)).status === 200 ? true : undefined,
      20_000,
    );
  });
});
