import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { CLUSTER_NODES, clusterBrokers, clusterNode } from '../support/kafka-cluster';
import { busiestLeader } from '../support/raw-kafka';
import { unique } from '../support/unique';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { loadThroughFault, type Fault } from '../faults/load-through-fault';
import { serviceOfEachClient } from '../faults/service-of-each-client';

const PUBLISH_TIMEOUT_MS = 2000;
// The shortest session the broker allows a consumer; a node paused longer than the brokers'
// session (broker.session.timeout.ms, 9 s) is fenced and its partitions led elsewhere.
const SESSION_TIMEOUT_MS = 6000;
const PAUSE_MS = 12_000;

function clusterFault(name: string, fault: (topics: readonly string[]) => Fault): void {
  describe(`the three-node cluster: ${name}, during a load of 600 requests`, function () {
    this.timeout(300_000);
    const topics = new Map(KAFKA_CLIENTS.map((client) => [client, unique('cluster-load')]));
    const services = serviceOfEachClient(
      `cluster-${name.replace(/\W+/g, '-')}`,
      async (client) => ({
        EVENT_BUS: 'kafka',
        KAFKA_CLIENT: client,
        KAFKA_BROKERS: (await clusterBrokers()).join(','),
        KAFKA_TOPIC: topics.get(client)!,
        KAFKA_CLIENT_ID: unique('svc'),
        PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
        KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      }),
    );
    after(async () => {
      // Whatever the fault left behind, the next suite gets all three nodes.
      for (let n = 1; n <= CLUSTER_NODES; n += 1) await clusterNode('start-node', n);
    });

    it('processes every event that got a 201 once, none that got a 4xx, only 503 among the 5xx, on both clients at once', async () => {
      const reports = await loadThroughFault(services(), fault([...topics.values()]));
      for (const [index, { name: client }] of services().entries()) {
        const report = reports[index]!;
        console.log(`      cluster, ${name}, ${client}: ${JSON.stringify(report)}`);
        expect(report.created, client).to.be.greaterThan(0);
      }
    });
  });
}

clusterFault('the busiest leader killed with kill -9 and restarted', (topics) => {
  let killed = 0;
  return {
    inject: async () => {
      killed = await busiestLeader(await clusterBrokers(), topics);
      await clusterNode('kill-node', killed);
    },
    heal: () => clusterNode('start-node', killed),
    // Its partitions get new leaders within the brokers' session: the load may see no 503.
    shows503: false,
  };
});

clusterFault(`the busiest leader paused with SIGSTOP for ${PAUSE_MS / 1000} s`, (topics) => {
  let paused = 0;
  return {
    inject: async () => {
      paused = await busiestLeader(await clusterBrokers(), topics);
      await clusterNode('pause-node', paused);
    },
    heal: async () => {
      await delay(PAUSE_MS);
      await clusterNode('resume-node', paused);
    },
    shows503: false,
  };
});

clusterFault('a rolling restart of all three nodes, one at a time', () => ({
  inject: async () => {
    for (let n = 1; n <= CLUSTER_NODES; n += 1) {
      await clusterNode('stop-node', n);
      await clusterNode('start-node', n);
    }
  },
  heal: async () => {},
  shows503: false,
}));

clusterFault('two of three nodes killed, then one of them restarted', () => ({
  inject: async () => {
    await clusterNode('kill-node', 2);
    await clusterNode('kill-node', 3);
  },
  // Healed after the first 503: one node back makes two in sync again.
  heal: () => clusterNode('start-node', 2),
}));
