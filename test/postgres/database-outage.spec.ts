import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { hostAndPort, throughPort } from '../support/postgres-urls';
import { kafkaBrokers } from '../support/kafka-broker';
import { capturedLogger } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { processedIds } from '../support/processed-events';
import { TcpFaultProxy } from '../support/tcp-fault-proxy';
import { unique } from '../support/unique';
import { recordCount } from '../support/raw-kafka';

const OUTAGE_MS = 10_000;

async function postEvents(app: RunningService, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const body = { userId: `outage-${n % 7}`, eventType: 'PRODUCT_VIEW', payload: { n } };
    const response = await postJson(`${app.url}/events/generate`, body);
    expect(response.status, 'Kafka is up: every POST is acknowledged').to.equal(201);
    ids.push(((await response.json()) as { eventId: string }).eventId);
  }
  return ids;
}

describe('PostgreSQL unreachable for about 10 s while events flow', function () {
  this.timeout(120_000);
  const logs = capturedLogger();
  let schema: TestSchema;
  let database: TcpFaultProxy;
  let app: RunningService;
  const topic = unique('db-outage');
  before(async () => {
    schema = await freshSchema('outage');
    database = new TcpFaultProxy(await freePort(), hostAndPort(schema.url));
    await database.listen();
    const variables = {
      ...(await onKafka(topic)),
      STORE: 'postgres',
      DATABASE_URL: throughPort(schema.url, database.port),
    };
    app = await runService(variables, undefined, logs.logger);
  });
  after(async () => {
    await app?.stop();
    await database?.close();
    await schema?.drop();
  });

  it('retries every record until the store is back: all arrive once, none dead-lettered', async () => {
    const before = await postEvents(app, 50);
    database.refuseConnections();
    const during = await postEvents(app, 100);
    const { url } = app;
    const readiness = await eventually('readiness to report the store down', async () => {
      const response = await fetch(`${url}/health/ready`);
      const body = (await response.json()) as {
        checks: Record<string, string>;
        causes?: string[];
      };
      return body.checks.store === 'down' ? { status: response.status, body } : undefined;
    });
    expect(readiness.status).to.equal(503);
    expect(readiness.body.causes).to.deep.equal(['postgres: database unreachable']);
    // The outage lasts as long as a database restart or fail-over might.
    await delay(OUTAGE_MS);
    database.passConnections();

    const expected = [...before, ...during];
    const processed = await eventually(
      'every event processed after the outage',
      async () => {
        const ids = await processedIds(url);
        return expected.every((id) => ids.has(id)) ? ids : undefined;
      },
      60_000,
      500,
    );
    expect(processed.size).to.equal(expected.length);
    const retried = logs.lines().filter((line) => line.msg === 'processing failed, retrying');
    expect(retried, 'records retried during the outage').to.not.be.empty;
    expect(await recordCount(await kafkaBrokers(), `${topic}.dlq`)).to.equal(0);
    expect((await fetch(`${url}/health/ready`)).status).to.equal(200);
    console.log(
      `      database outage ${OUTAGE_MS / 1000} s: posted ${expected.length} (201 all), processed ${processed.size}, retry lines ${retried.length}, dead letters 0`,
    );
  });
});
