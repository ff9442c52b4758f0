import { expect } from 'chai';
import { ConfigResourceTypes } from 'kafkajs';
import { postJson, runService, type RunningService } from '../support/running-service';
import { clusterBrokers, clusterNode } from '../support/kafka-cluster';
import { capturedLogger } from '../support/captured-logs';
import { unique } from '../support/unique';
import { withAdmin } from '../support/raw-kafka';
import { eventually } from '../support/eventually';
import { seedLoginBody } from '../support/builders';

const onCluster = async (topic: string, more: Record<string, string> = {}) => ({
  EVENT_BUS: 'kafka',
  KAFKA_BROKERS: (await clusterBrokers()).join(','),
  KAFKA_TOPIC: topic,
  KAFKA_CLIENT_ID: unique('svc'),
  ...more,
});

/** Copies of each partition and min.insync.replicas of each topic, as the cluster reports them. */
async function layoutOf(topics: string[]) {
  return withAdmin(await clusterBrokers(), async (admin) => {
    const { topics: described } = await admin.fetchTopicMetadata({ topics });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['min.insync.replicas'],
      })),
    });
    return Object.fromEntries(
      described.map(({ name, partitions }) => [
        name,
        {
          replicas: [...new Set(partitions.map((partition) => partition.replicas.length))],
          minInsync: configs.resources.find((resource) => resource.resourceName === name)
            ?.configEntries[0]?.configValue,
        },
      ]),
    );
  });
}

const readiness = async (app: RunningService) => {
  const response = await fetch(`${app.url}/health/ready`);
  const { checks } = (await response.json()) as { checks: Record<string, string> };
  return { code: response.status, checks };
};

describe('the service on a three-node Kafka cluster', function () {
  this.timeout(300_000);
  const running: RunningService[] = [];
  const start = async (variables: Record<string, string>, logs = capturedLogger()) => {
    const app = await runService(variables, undefined, logs.logger);
    running.push(app);
    return app;
  };
  afterEach(async () => Promise.all(running.splice(0).map((app) => app.stop())));

  it('creates its topics with three copies and min.insync.replicas=2 by default', async () => {
    const topic = unique('replicated');
    const app = await start(await onCluster(topic));
    expect(await layoutOf([topic, `${topic}.dlq`])).to.deep.equal({
      [topic]: { replicas: [3], minInsync: '2' },
      [`${topic}.dlq`]: { replicas: [3], minInsync: '2' },
    });
    const answer = await readiness(app);
    expect(answer.code).to.equal(200);
    expect(answer.checks).to.include({ topics: 'up' });
  });

  it('reports an existing topic with fewer copies than configured, and still serves', async () => {
    const topic = unique('one-copy');
    await withAdmin(await clusterBrokers(), (admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      }),
    );
    const logs = capturedLogger();
    const app = await start(await onCluster(topic), logs);
    const answer = await readiness(app);
    expect(answer.code).to.equal(200);
    expect(answer.checks).to.include({ topics: 'degraded' });
    expect(
      logs
        .lines()
        .filter((line) => line.msg === 'topic weaker than configured')
        .map((line) => line.finding),
    ).to.deep.equal([
      `topic ${topic} has 1 replicas and min.insync.replicas=1, less than the 3 and 2 configured`,
    ]);
    expect(await layoutOf([`${topic}.dlq`])).to.deep.equal({
      [`${topic}.dlq`]: { replicas: [3], minInsync: '2' },
    });
  });

  it('answers 503, never 201, while two of three nodes are down, and 201 again once one is back', async () => {
    const app = await start(await onCluster(unique('two-down'), { PUBLISH_TIMEOUT_MS: '2000' }));
    const post = async () => (await postJson(`${app.url}/events/generate`, seedLoginBody())).status;
    expect(await post()).to.equal(201);
    try {
      await clusterNode('kill-node', 2);
      await clusterNode('kill-node', 3);
      const during = await Promise.all(Array.from({ length: 40 }, post));
      expect(new Set(during), 'answers while two nodes are down').to.deep.equal(new Set([503]));
      await clusterNode('start-node', 2);
      await eventually(
        'a POST acknowledged again',
        async () => (await post()) === 201 || undefined,
        90_000,
        500,
      );
      const after = await Promise.all(Array.from({ length: 40 }, post));
      expect(new Set(after), 'answers with two nodes up').to.deep.equal(new Set([201]));
      console.log(
        `      two of three nodes down: 40 POSTs, all 503; one node back: 40 POSTs, all 201`,
      );
    } finally {
      await clusterNode('start-node', 2);
      await clusterNode('start-node', 3);
    }
  });
});
