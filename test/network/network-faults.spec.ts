import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { keepLinesOfFailedTest } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import type { EventLoad } from '../support/event-load';
import {
  busiestLeader,
  network,
  partitionsLedBy,
  type NetworkHost,
} from '../support/network-hosts';
import {
  loadThroughNetworkFault,
  serviceOnHosts,
  type NetworkFault,
  type NetworkFaultReport,
  type ServiceOnHosts,
} from './load-through-network-fault';

const CUT_MS = 15_000;
const SLOW_LINK_MS = 30_000;
const FLAP_PERIOD_S = 2;
const FLAP_S = 20;
const DATABASE_CUT_MS = 15_000;

const printed = (name: string, reports: readonly NetworkFaultReport[]) => {
  for (const report of reports) console.log(`      ${name}, ${JSON.stringify(report)}`);
};

/**
 * Resolves once each load's last 100 answers are 201s: 100 requests in a row name every one of
 * the load's 50 users, whose keys reach every partition.
 */
const everyPartitionWrites = async (loads: readonly EventLoad[]): Promise<void> => {
  const lastHundred = (load: EventLoad) => load.sent.slice(-100).map((event) => event.status);
  try {
    await eventually(
      'every service publishing on every partition',
      () =>
        loads.every((load) => load.sent.length >= 100 && lastHundred(load).every((s) => s === 201))
          ? true
          : undefined,
      90_000,
      100,
    );
  } catch (error) {
    const statuses = loads.map((load) => lastHundred(load).filter((s) => s !== 201).length);
    throw new Error(
      `${(error as Error).message}; answers other than 201 among the last 100: ${statuses.join(', ')}`,
    );
  }
};

describe("network faults on the service's link and the cluster's, under load, both clients at once", function () {
  this.timeout(300_000);
  let services: ServiceOnHosts[] = [];
  before(async () => {
    services = await Promise.all(KAFKA_CLIENTS.map((client) => serviceOnHosts(client)));
  });
  afterEach(async function () {
    for (const service of services)
      keepLinesOfFailedTest(this.currentTest, `network-${service.client}`, service.lines);
    await network('heal-all');
  });
  after(async () => {
    await Promise.all(services.map((service) => service.stop()));
  });
  const topics = () => services.map((service) => service.topic);

  it('the partition leader cut off from the service only: 503s while cut, 201s after, none lost', async () => {
    let leader: NetworkHost = 'kafka-1';
    const fault: NetworkFault = {
      inject: async () => {
        leader = await busiestLeader(topics());
        await network('cut', 'service', leader);
      },
      hold: () => delay(CUT_MS),
      heal: () => network('heal', 'service', leader),
    };
    const { reports } = await loadThroughNetworkFault(services, fault);
    printed(`leader ${leader} cut from the service for ${CUT_MS / 1000} s`, reports);
    for (const report of reports)
      expect(report.unavailableDuring, `${report.client}: 503s while cut`).to.be.greaterThan(0);
  });

  it('the partition leader isolated from the service and the other nodes: 503s, then 201s from a new leader before it is healed, none lost', async () => {
    let leader: NetworkHost = 'kafka-1';
    const fault: NetworkFault = {
      inject: async () => {
        leader = await busiestLeader(topics());
        await network('isolate', leader);
      },
      hold: async (loads) => {
        await eventually(
          `a new leader for the partitions ${leader} led`,
          async () => {
            const led = await partitionsLedBy(leader, topics());
            return [...led.values()].every((partitions) => partitions.length === 0)
              ? true
              : undefined;
          },
          60_000,
          500,
        );
        await everyPartitionWrites(loads);
      },
      heal: () => network('heal-all'),
    };
    const { reports } = await loadThroughNetworkFault(services, fault);
    printed(`leader ${leader} isolated`, reports);
    for (const report of reports)
      expect(report.unavailableDuring, `${report.client}: 503s while isolated`).to.be.greaterThan(
        0,
      );
  });

  it(`200 ms latency and 5% loss on the service's link for ${SLOW_LINK_MS / 1000} s: slower answers, none lost`, async () => {
    const fault: NetworkFault = {
      inject: () => network('netem', 'service', 'delay 200ms loss 5%'),
      hold: () => delay(SLOW_LINK_MS),
      heal: () => network('netem-clear', 'service'),
    };
    const { reports } = await loadThroughNetworkFault(services, fault);
    printed(`200 ms and 5% loss on the service's link for ${SLOW_LINK_MS / 1000} s`, reports);
    // A publish waits for the leader's answer, which now comes 200 ms later.
    for (const report of reports)
      expect(
        report.latency.during.p50,
        `${report.client}: median answer while slow`,
      ).to.be.at.least(200);
  });

  it(`the service's link flapping every ${FLAP_PERIOD_S} s for ${FLAP_S} s: readiness goes down and comes back, none lost`, async () => {
    const readiness = services.map(() => new Set<number>());
    let flap: Promise<void> = Promise.resolve();
    let flapping = false;
    const watch = async () => {
      while (flapping) {
        await Promise.all(
          services.map(async ({ app }, index) => {
            const response = await fetch(`${app.url}/health/ready`);
            await response.arrayBuffer();
            readiness[index]!.add(response.status);
          }),
        );
        await delay(200);
      }
    };
    let watching: Promise<void> = Promise.resolve();
    const fault: NetworkFault = {
      inject: async () => {
        flapping = true;
        watching = watch();
        flap = network('flap', 'service', String(FLAP_PERIOD_S), String(FLAP_S));
      },
      hold: () => flap,
      heal: async () => {
        flapping = false;
        await watching;
      },
    };
    const { reports } = await loadThroughNetworkFault(services, fault);
    printed(`the service's link flapping every ${FLAP_PERIOD_S} s for ${FLAP_S} s`, reports);
    for (const [index, { client, app }] of services.entries()) {
      expect([...readiness[index]!], `${client}: readiness while flapping`).to.include(503);
      await eventually(
        `${client} ready again`,
        async () => ((await fetch(`${app.url}/health/ready`)).status === 200 ? true : undefined),
        60_000,
        200,
      );
    }
  });

  it(`the PostgreSQL connection cut for ${DATABASE_CUT_MS / 1000} s while the consumers drain: events wait, none lost`, async () => {
    const storeDown = services.map((): string[] | undefined => undefined);
    const fault: NetworkFault = {
      inject: () => network('cut', 'service', 'postgres'),
      hold: async () => {
        await delay(DATABASE_CUT_MS);
        for (const [index, { app }] of services.entries()) {
          const body = (await (await fetch(`${app.url}/health/ready`)).json()) as {
            checks: Record<string, string>;
            causes?: string[];
          };
          if (body.checks.store === 'down') storeDown[index] = body.causes ?? [];
        }
      },
      heal: () => network('heal', 'service', 'postgres'),
    };
    const { reports } = await loadThroughNetworkFault(services, fault);
    printed(`PostgreSQL cut from the service for ${DATABASE_CUT_MS / 1000} s`, reports);
    expect(storeDown, 'the store reported down while cut, and why').to.deep.equal(
      services.map(() => ['postgres: database unreachable']),
    );
    for (const report of reports)
      expect(report.unavailableDuring, `${report.client}: Kafka is up, so no 503`).to.equal(0);
  });
});
