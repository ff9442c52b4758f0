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
    after(() => broker.stop());

    for (const client of KAFKA_CLIENTS) {
      describe(`on ${client}`, () => {
        const logs = capturedLogger();
        let app: RunningService;
        before(async () => {
          app = await runService(
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
          );
        });
        afterEach(function () {
          keepLinesOfFailedTest(this.currentTest, `${broker.name}-${client}`, logs.lines);
        });
        after(() => app?.stop());

        it('processes every event that got a 201 once, none that got a 4xx, with 503s meanwhile', async () => {
          const report = await loadThroughFault(app, fault(broker), () => outcomesIn(logs.lines()));
          console.log(`      ${name}, ${client}: ${JSON.stringify(report)}`);
          expect(report.unavailable).to.be.greaterThan(0);
          expect(report.created).to.be.greaterThan(0);
          expect(logs.lines().filter((line) => line.msg === 'unhandled rejection')).to.deep.equal(
            [],
          );
        });
      });
    }
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
