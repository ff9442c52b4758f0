import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { ControllableBroker } from '../support/controllable-broker';
import { runService, type RunningService } from '../support/running-service';
import { capturedLogger, keepLinesOfFailedTest } from '../support/captured-logs';
import { unique } from '../support/unique';
import { outcomesIn } from '../support/event-outcomes';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { loadThroughFault, type Fault } from './load-through-fault';

const PUBLISH_TIMEOUT_MS = 2000;

function faultSuite(
  name: string,
  port: number,
  fault: (broker: ControllableBroker) => Fault,
): void {
  describe(`the broker ${name} during a load of 600 requests`, function () {
    this.timeout(300_000);
    const broker = new ControllableBroker(name.replace(/\W+/g, '-'), port);
    before(async () => {
      await broker.reset();
      await broker.start();
    });
    const services = KAFKA_CLIENTS.map((client) => ({ client, logs: capturedLogger() }));
    let apps: RunningService[] = [];
    before(async () => {
      apps = await Promise.all(
        services.map(({ client, logs }) =>
          runService(
            {
              EVENT_BUS: 'kafka',
              KAFKA_CLIENT: client,
              KAFKA_BROKERS: broker.address,
              KAFKA_TOPIC: unique('load'),
              KAFKA_CLIENT_ID: unique('svc'),
              PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
            },
            undefined,
            logs.logger,
          ),
        ),
      );
    });
    afterEach(function () {
      for (const { client, logs } of services)
        keepLinesOfFailedTest(this.currentTest, `${broker.name}-${client}`, logs.lines);
    });
    after(async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await broker.stop();
    });

    it('processes every event that got a 201 once, none that got a 4xx, with 503s meanwhile, on both clients at once', async () => {
      const loaded = services.map(({ client, logs }, index) => ({
        name: client,
        app: apps[index]!,
        outcomes: () => outcomesIn(logs.lines()),
      }));
      const reports = await loadThroughFault(loaded, fault(broker));
      for (const [index, { client, logs }] of services.entries()) {
        const report = reports[index]!;
        console.log(`      ${name}, ${client}: ${JSON.stringify(report)}`);
        expect(report.unavailable, client).to.be.greaterThan(0);
        expect(report.created, client).to.be.greaterThan(0);
        expect(
          logs.lines().filter((line) => line.msg === 'unhandled rejection'),
          client,
        ).to.deep.equal([]);
      }
    });
  });
}

faultSuite('killed with SIGKILL and restarted', 19492, (broker) => ({
  inject: async () => broker.signal('SIGKILL'),
  heal: () => broker.start(),
}));

faultSuite('paused with SIGSTOP beyond the publish deadline', 19592, (broker) => ({
  inject: async () => broker.signal('SIGSTOP'),
  heal: async () => {
    await delay(PUBLISH_TIMEOUT_MS * 2);
    broker.signal('SIGCONT');
  },
}));
