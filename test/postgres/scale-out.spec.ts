import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { withPool } from '../support/postgres-database';
import { kafkaBrokers } from '../support/kafka-broker';
import { capturedLogger } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { processedIds } from '../support/processed-ids';
import { unique } from '../support/unique';

const PARTITIONS = 4;

interface Instance {
  readonly app: RunningService;
  /** The eventIds this instance's consumer processed, from its log. */
  readonly processed: () => string[];
}

async function postTo(instances: readonly Instance[], count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const { app } = instances[n % instances.length]!;
    const body = { userId: unique('user'), eventType: 'LOGIN' };
    const response = await postJson(`${app.url}/events/generate`, body);
    expect(response.status).to.equal(201);
    ids.push(((await response.json()) as { eventId: string }).eventId);
  }
  return ids;
}

const ready = async ({ app }: Instance) => (await fetch(`${app.url}/health/ready`)).status === 200;

describe('two instances in one consumer group over one PostgreSQL', function () {
  this.timeout(180_000);
  let schema: TestSchema;
  const instances: Instance[] = [];
  before(async () => {
    schema = await freshSchema('scale');
    const variables = {
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: (await kafkaBrokers()).join(','),
      KAFKA_TOPIC: unique('scale'),
      KAFKA_GROUP_ID: unique('shared-group'),
      KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      STORE: 'postgres',
      DATABASE_URL: schema.url,
    };
    for (const name of ['a', 'b']) {
      const logs = capturedLogger();
      const app = await runService(
        { ...variables, KAFKA_CLIENT_ID: `svc-${name}` },
        undefined,
        logs.logger,
      );
      const processed = () =>
        logs
          .lines()
          .filter((line) => line.outcome === 'processed')
          .map((line) => String(line.eventId));
      instances.push({ app, processed });
    }
  });
  after(async () => {
    await Promise.all(instances.map(({ app }) => app.stop()));
    await schema?.drop();
  });

  it('share the partitions, store each event once, and either serves all of them', async () => {
    await eventually(
      'both instances ready with partitions',
      async () => ((await Promise.all(instances.map(ready))).every(Boolean) ? true : undefined),
      60_000,
      250,
    );
    const posted = await postTo(instances, 400);
    for (const { app } of instances) {
      await eventually(
        `all 400 events served by ${app.url}`,
        async () => {
          const ids = await processedIds(app.url);
          return posted.every((id) => ids.has(id)) ? ids : undefined;
        },
        60_000,
        250,
      );
    }
    const [a, b] = instances.map((instance) => instance.processed());
    expect(a, 'instance a consumed some partitions').to.not.be.empty;
    expect(b, 'instance b consumed some partitions').to.not.be.empty;
    expect(new Set([...a!, ...b!]).size, 'each event processed once').to.equal(
      a!.length + b!.length,
    );
    const rows = await withPool(schema.url, (pool) =>
      pool.query<{ count: string }>('SELECT count(*) FROM processed_events'),
    );
    expect(Number(rows.rows[0]?.count)).to.equal(400);
    console.log(
      `      scale-out: posted 400, rows 400, processed by a ${a!.length}, by b ${b!.length}`,
    );
  });

  it('hands the partitions of a stopped instance to the other, losing nothing', async () => {
    const [stopped, survivor] = instances.splice(0, 1).concat(instances);
    await stopped!.app.stop();
    const before = survivor!.processed().length;
    const posted = await postTo([survivor!], 200);
    const ids = await eventually(
      'all 200 events processed by the survivor',
      async () => {
        const served = await processedIds(survivor!.app.url);
        return posted.every((id) => served.has(id)) ? served : undefined;
      },
      90_000,
      250,
    );
    expect(ids.size).to.equal(600);
    expect(survivor!.processed().length - before).to.equal(200);
    console.log(`      hand-over: a stopped, posted 200 to b, b processed 200, rows 600`);
  });
});
