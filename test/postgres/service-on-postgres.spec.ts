import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { hostAndPort, throughPort } from '../support/postgres-urls';
import { withPool } from '../support/postgres-database';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { TcpFaultProxy } from '../support/tcp-fault-proxy';
import { unique } from '../support/unique';
import { processedEventsOf } from '../support/processed-events';
import { testConfig } from '../support/test-config';

const onPostgres = (databaseUrl: string) =>
  runService({ EVENT_BUS: 'memory', STORE: 'postgres', DATABASE_URL: databaseUrl });

const readiness = async (app: RunningService) => {
  const response = await fetch(`${app.url}/health/ready`);
  const { checks, causes } = (await response.json()) as { checks: object; causes?: string[] };
  return { httpStatus: response.status, checks, causes };
};

describe('The service with STORE=postgres', () => {
  let schema: TestSchema;
  const running: RunningService[] = [];
  const start = async (databaseUrl: string) => {
    const app = await onPostgres(databaseUrl);
    running.push(app);
    return app;
  };

  beforeEach(async () => (schema = await freshSchema('service')));
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
    await schema.drop();
  });

  it('stores a POSTed event and serves it, also after a restart', async () => {
    const userId = unique('pg-user');
    const first = await start(schema.url);
    const body = { userId, eventType: 'LOGIN', payload: { ip: '127.0.0.1' } };
    const { eventId } = (await (await postJson(`${first.url}/events/generate`, body)).json()) as {
      eventId: string;
    };
    const listed = await eventually('the event to be listed', async () => {
      const list = await processedEventsOf(first.url, userId);
      return list.length === 1 ? list : undefined;
    });
    expect(listed[0]).to.include({ eventId, userId, eventType: 'LOGIN' });
    await first.stop();

    const second = await start(schema.url);
    const found = await fetch(`${second.url}/events/processed/${eventId}`);
    expect(found.status).to.equal(200);
    expect(await found.json()).to.deep.equal(listed[0]);
  });

  it('starts with the database unreachable, says store down and why, and recovers when it answers', async () => {
    const port = await freePort();
    const app = await start(throughPort(schema.url, port));
    expect(await readiness(app)).to.deep.equal({
      httpStatus: 503,
      checks: { bus: 'up', store: 'down' },
      causes: ['postgres: database unreachable'],
    });

    const database = new TcpFaultProxy(port, hostAndPort(schema.url));
    await database.listen();
    try {
      await eventually(
        'readiness 200',
        async () => ((await readiness(app)).httpStatus === 200 ? true : undefined),
        20_000,
      );
      const posted = await postJson(`${app.url}/events/generate`, {
        userId: unique('late'),
        eventType: 'LOGIN',
      });
      const { eventId } = (await posted.json()) as { eventId: string };
      await eventually('the event to be stored', async () =>
        (await fetch(`${app.url}/events/processed/${eventId}`)).status === 200 ? true : undefined,
      );
    } finally {
      await app.stop();
      await database.close();
    }
  });

  it('stops promptly while the database is still unreachable', async () => {
    const app = await start(throughPort(schema.url, await freePort()));
    const began = Date.now();
    await app.stop();
    // Within its shutdown deadline (10 s by default), not after the migration retries' back-off,
    // which grows to 10 s and more; the test's own 30 s limit would catch a stop that hangs.
    expect(Date.now() - began).to.be.lessThan(testConfig().shutdownTimeoutMs);
  });

  it('closes every database connection when it stops', async () => {
    const connections = () =>
      withPool(schema.url, async (pool) => {
        const { rows } = await pool.query(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
          [schema.name],
        );
        return (rows[0] as { n: number }).n;
      });
    const app = await start(schema.url);
    await fetch(`${app.url}/health/ready`);
    expect(await connections()).to.be.greaterThan(0);
    await app.stop();
    expect(await connections()).to.equal(0);
  });
});
