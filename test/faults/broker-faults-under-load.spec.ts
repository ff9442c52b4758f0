import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { ControllableBroker } from '../support/controllable-broker';
import { unique } from '../support/unique';
import { loadThroughFault, type Fault } from './load-through-fault';
import { serviceOfEachClient } from './service-of-each-client';

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
    const services = serviceOfEachClient(broker.name, async (client) => ({
      EVENT_BUS: 'kafka',
      KAFKA_CLIENT: client,
      KAFKA_BROKERS: broker.address,
      KAFKA_TOPIC: unique('load'),
      KAFKA_CLIENT_ID: unique('svc'),
      PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
    }));
    after(() => broker.stop());

    it('processes every event that got a 201 once, none that got a 4xx, with 503s meanwhile, on both clients at once', async () => {
      const reports = await loadThroughFault(services(), fault(broker));
      for (const [index, { name: client }] of services().entries()) {
        const report = reports[index]!;
        console.log(`      ${name}, ${client}: ${JSON.stringify(report)}`);
        expect(report.unavailable, client).to.be.greaterThan(0);
        expect(report.created, client).to.be.greaterThan(0);
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
