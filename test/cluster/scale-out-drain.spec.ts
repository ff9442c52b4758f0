import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { clusterBrokers } from '../support/kafka-cluster';
import { backlogCommitted, writeBacklog } from '../support/kafka-backlog';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { ProcessedRows } from '../support/processed-rows';
import { ServiceRuns } from '../support/service-run';
import { unique } from '../support/unique';
import { processedTwice, timesProcessed } from '../support/event-outcomes';

const EVENTS = 20_000;
const PARTITIONS = 6;
const INSTANCES = 3;

describe('three instances over the three-node cluster and one PostgreSQL', function () {
  this.timeout(300_000);
  let schema: TestSchema;
  let table: ProcessedRows;
  const instances: ServiceRuns[] = [];

  before(async () => {
    schema = await freshSchema('cluster_scale');
    table = new ProcessedRows(schema.url);
  });
  after(async () => {
    await Promise.all(instances.map((instance) => instance.killAll()));
    await table.close();
    await schema.drop();
  });

  it('drain a backlog of 6 partitions, one killed with kill -9 midway: every record stored once', async () => {
    const brokers = await clusterBrokers();
    const topic = unique('cluster-scale');
    const groupId = unique('group');
    const events = await writeBacklog(brokers, topic, EVENTS, {
      users: 1000,
      partitions: PARTITIONS,
    });
    for (let n = 1; n <= INSTANCES; n += 1) {
      instances.push(
        new ServiceRuns({
          PORT: '0',
          EVENT_BUS: 'kafka',
          KAFKA_BROKERS: brokers.join(','),
          KAFKA_TOPIC: topic,
          KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
          KAFKA_GROUP_ID: groupId,
          KAFKA_CLIENT_ID: unique(`instance-${n}`),
          // The broker's minimum: the survivors get the killed member's partitions this soon.
          KAFKA_SESSION_TIMEOUT_MS: '6000',
          STORE: 'postgres',
          DATABASE_URL: schema.url,
        }),
      );
    }

    await table.reach(EVENTS / 3);
    const victim = instances[1]!;
    await victim.kill();
    const killedAt = await table.count();
    await eventually(
      'every record stored and every offset committed',
      async () =>
        ((await table.count()) === EVENTS && (await backlogCommitted(brokers, groupId, topic))) ||
        undefined,
      180_000,
      500,
    );

    const stored = await table.summary();
    expect(stored.rows).to.equal(EVENTS);
    expect(stored.distinct).to.equal(EVENTS);
    expect(stored.eventIds.sort()).to.deep.equal(events.map((event) => event.eventId).sort());
    const lines = instances.flatMap((instance) => instance.outcomes());
    expect(processedTwice(timesProcessed(lines)), 'logged as processed twice').to.deep.equal([]);
    const byInstance = instances.map((instance) => timesProcessed(instance.outcomes()).size);
    expect(killedAt).to.be.below(EVENTS);
    console.log(
      `      3 instances, 6 partitions, cluster: ${EVENTS} records, one instance killed at ${killedAt} rows; rows ${stored.rows}, distinct ${stored.distinct}, processed per instance ${byInstance.join(' / ')}, duplicates ${lines.filter((line) => line.outcome === 'duplicate').length}`,
    );
  });
});
