import { expect } from 'chai';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { migratedDatabase } from '../support/migrated-database';
import { kafkaBrokers } from '../support/kafka-broker';
import { eventually } from '../support/eventually';
import { processedEventsOf } from '../support/processed-events';
import { readTopic } from '../support/raw-kafka';
import { unique } from '../support/unique';

const REFUSED_MARK = 'refused-by-the-database';

describe('an event PostgreSQL refuses for good (a CHECK constraint the test adds)', function () {
  this.timeout(120_000);
  const topic = unique('pg-refuses');
  let schema: TestSchema;
  let app: RunningService;
  before(async () => {
    schema = await freshSchema('refuses');
    const database = await migratedDatabase(schema.url);
    await database.pool.query(
      `ALTER TABLE processed_events ADD CONSTRAINT test_refuses_mark
         CHECK (payload::text NOT LIKE '%${REFUSED_MARK}%')`,
    );
    await database.close();
    app = await runService({
      ...(await onKafka(topic)),
      STORE: 'postgres',
      DATABASE_URL: schema.url,
    });
  });
  after(async () => {
    await app?.stop();
    await schema?.drop();
  });

  it('goes to the DLQ at once as store-rejected, and the events around it on its partition are processed', async () => {
    const userId = unique('one-partition');
    const post = async (payload: Record<string, unknown>) => {
      const response = await postJson(`${app.url}/events/generate`, {
        userId,
        eventType: 'PRODUCT_VIEW',
        payload,
      });
      expect(response.status).to.equal(201);
      return ((await response.json()) as { eventId: string }).eventId;
    };
    const first = await post({ n: 1 });
    const refused = await post({ note: REFUSED_MARK });
    const last = await post({ n: 3 });

    const processed = await eventually('the events beside the refused one processed', async () => {
      const events = await processedEventsOf(app.url, userId);
      return events.length === 2 ? events : undefined;
    });
    expect(processed.map((event) => event.eventId)).to.deep.equal([first, last]);

    const [letter] = await readTopic(await kafkaBrokers(), `${topic}.dlq`, 1);
    expect(letter!.key).to.equal(userId);
    expect(String(letter!.headers.ce_id)).to.equal(refused);
    expect(String(letter!.headers['dlq-reason'])).to.equal('store-rejected');
    expect(String(letter!.headers['dlq-error'])).to.equal(
      'new row for relation "processed_events" violates check constraint "test_refuses_mark"',
    );
    expect((await fetch(`${app.url}/events/processed/${refused}`)).status).to.equal(404);
    console.log(
      '      store rejection (CHECK constraint): posted 3 (201 all), processed 2, dead-lettered 1 as store-rejected, lost 0',
    );
  });
});
