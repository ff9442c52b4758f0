import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { ProcessedRows } from '../support/processed-rows';
import { kafkaBrokers } from '../support/kafka-broker';
import { capturedLogger } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { processedIds } from '../support/processed-events';
import { unique } from '../support/unique';
import {
  outcomesIn,
  processedTwice,
  timesProcessed,
  type EventOutcome,
} from '../support/event-outcomes';

const PARTITIONS = 4;

interface Instance {
  readonly app: RunningService;
  /** The "event processed" and "event duplicate" lines of this instance's consumer. */
  readonly outcomes: () => EventOutcome[];
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
  let table: ProcessedRows;
  const instances: Instance[] = [];
  before(async () => {
    schema = await freshSchema('scale');
    table = new ProcessedRows(schema.url);
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
      instances.push({ app, outcomes: () => outcomesIn(logs.lines()) });
    }
  });
  after(async () => {
    await Promise.all(instances.map(({ app }) => app.stop()));
    await table?.close();
    await schema?.drop();
  });

  it('share the partitions, store each event once, and either serves all of them', async () => {
    await eventually(
      'both instances ready with partitions',
      async () => ((await Promise.all(instances.map(ready))).every(Boolean) ? true : undefined),
      60_000,
      250,
    );
    const rowsBefore = await table.count();
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
    const [a, b] = instances.map((instance) => timesProcessed(instance.outcomes()));
    expect(a!.size, 'instance a consumed some partitions').to.be.greaterThan(0);
    expect(b!.size, 'instance b consumed some partitions').to.be.greaterThan(0);
    const both = timesProcessed(instances.flatMap((instance) => instance.outcomes()));
    expect(processedTwice(both), 'events processed more than once').to.deep.equal([]);
    expect(
      posted.filter((id) => both.get(id) !== 1),
      'posted, not processed once',
    ).to.deep.equal([]);
    expect(await table.count()).to.equal(rowsBefore + 400);
    console.log(
      `      scale-out: posted 400, rows +400, processed by a ${a!.size}, by b ${b!.size}`,
    );
  });

  it('hands the partitions of a stopped instance to the other, losing nothing', async () => {
    const [stopped, survivor] = instances.splice(0, 1).concat(instances);
    await stopped!.app.stop();
    const rowsBefore = await table.count();
    const linesBefore = survivor!.outcomes().length;
    const posted = await postTo([survivor!], 200);
    await eventually(
      'all 200 events processed by the survivor',
      async () => {
        const served = await processedIds(survivor!.app.url);
        return posted.every((id) => served.has(id)) ? served : undefined;
      },
      90_000,
      250,
    );
    const processedSince = timesProcessed(survivor!.outcomes().slice(linesBefore));
    expect([...processedSince.keys()].sort(), 'processed by the survivor').to.deep.equal(
      [...posted].sort(),
    );
    expect(processedTwice(processedSince)).to.deep.equal([]);
    expect(await table.count()).to.equal(rowsBefore + 200);
    console.log(`      hand-over: a stopped, posted 200 to b, b processed 200, rows +200`);
  });
});
