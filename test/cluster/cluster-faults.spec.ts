import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { runService, type RunningService } from '../support/running-service';
import { CLUSTER_NODES, clusterBrokers, clusterNode } from '../support/kafka-cluster';
import { capturedLogger, keepLinesOfFailedTest } from '../support/captured-logs';
import { outcomesIn } from '../support/event-outcomes';
import { withAdmin } from '../support/raw-kafka';
import { unique } from '../support/unique';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { loadThroughFault, type Fault } from '../faults/load-through-fault';

const PUBLISH_TIMEOUT_MS = 2000;
// The shortest session the broker allows a consumer; a node paused longer than the brokers'
// session (broker.session.timeout.ms, 9 s) is fenced and its partitions led elsewhere.
const SESSION_TIMEOUT_MS = 6000;
const PAUSE_MS = 12_000;

/** The node that leads the most partitions of `topic`: the one whose loss the load feels. */
async function busiestLeader(topic: string): Promise<number> {
  const { topics } = await withAdmin(await clusterBrokers(), (admin) =>
    admin.fetchTopicMetadata({ topics: [topic] }),
  );
  const led = new Map<number, number>();
  for (const { leader } of topics[0]!.partitions) led.set(leader, (led.get(leader) ?? 0) + 1);
  return [...led.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

function clusterFault(name: string, fault: (topic: string) => Fault): void {
  describe(`the three-node cluster: ${name}, during a load of 600 requests`, function () {
    this.timeout(300_000);
    for (const client of KAFKA_CLIENTS) {
      describe(`on ${client}`, () => {
        const topic = unique('cluster-load');
        const logs = capturedLogger();
        let app: RunningService;
        before(async () => {
          app = await runService(
            {
              EVENT_BUS: 'kafka',
              KAFKA_CLIENT: client,
              KAFKA_BROKERS: (await clusterBrokers()).join(','),
              KAFKA_TOPIC: topic,
              KAFKA_CLIENT_ID: unique('svc'),
              PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
              KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
            },
            undefined,
            logs.logger,
          );
        });
        afterEach(function () {
          const suite = `cluster-${name.replace(/\W+/g, '-')}-${client}`;
          keepLinesOfFailedTest(this.currentTest, suite, logs.lines);
        });
        after(async () => {
          await app?.stop();
          // Whatever the fault left behind, the next suite gets all three nodes.
          for (let n = 1; n <= CLUSTER_NODES; n += 1) await clusterNode('start-node', n);
        });

        it('processes every event that got a 201 once, none that got a 4xx, only 503 among the 5xx', async () => {
          const report = await loadThroughFault(app, fault(topic), () => outcomesIn(logs.lines()));
          console.log(`      cluster, ${name}, ${client}: ${JSON.stringify(report)}`);
          expect(report.created).to.be.greaterThan(0);
          expect(logs.lines().filter((line) => line.msg === 'unhandled rejection')).to.deep.equal(
            [],
          );
        });
      });
    }
  });
}

clusterFault('the busiest leader killed with kill -9 and restarted', (topic) => {
  let killed = 0;
  return {
    inject: async () => {
      killed = await busiestLeader(topic);
      await clusterNode('kill-node', killed);
    },
    heal: () => clusterNode('start-node', killed),
    // Its partitions get new leaders within the brokers' session: the load may see no 503.
    shows503: false,
  };
});

clusterFault(`the busiest leader paused with SIGSTOP for ${PAUSE_MS / 1000} s`, (topic) => {
  let paused = 0;
  return {
    inject: async () => {
      paused = await busiestLeader(topic);
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
