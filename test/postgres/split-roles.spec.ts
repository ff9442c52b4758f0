import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { kafkaBrokers } from '../support/kafka-broker';
import { eventually } from '../support/eventually';
import { statusOnceIt } from '../support/event-status';
import { produceRaw, readTopic, withAdmin } from '../support/raw-kafka';
import { scrapeMetrics } from '../support/metrics-scrape';
import { OpenApiContract } from '../support/openapi-contract';
import { unique } from '../support/unique';

async function publish(api: RunningService, userId: string): Promise<string> {
  const response = await postJson(`${api.url}/events/generate`, { userId, eventType: 'LOGIN' });
  expect(response.status).to.equal(201);
  return ((await response.json()) as { eventId: string }).eventId;
}

const readiness = async ({ url }: RunningService) => {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { checks: object } };
};

/** The client ids of the consumer group's members. */
const membersOf = async (groupId: string) =>
  withAdmin(await kafkaBrokers(), async (admin) => {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((member) => member.clientId);
  });

/** The document's paths with a made-up id in each path parameter, by tag. */
const documentedRoutes = (tag: string) =>
  new OpenApiContract()
    .operations()
    .filter(({ operation }) => (operation.tags as string[]).includes(tag))
    .map(({ path, method }) => ({ method, path: path.replace(/\{[^}]+\}/g, randomUUID()) }));

describe('SERVICE_ROLE: an api and a worker side by side over one PostgreSQL', function () {
  this.timeout(120_000);
  let schema: TestSchema;
  let variables: Record<string, string>;
  let api: RunningService;
  let worker: RunningService | undefined;
  let groupId: string;
  let workerClientId: string;
  let firstEvent: string;
  before(async () => {
    schema = await freshSchema('split');
    groupId = unique('split-group');
    workerClientId = unique('worker');
    variables = {
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: (await kafkaBrokers()).join(','),
      KAFKA_TOPIC: unique('split'),
      KAFKA_GROUP_ID: groupId,
      STORE: 'postgres',
      DATABASE_URL: schema.url,
    };
    api = await runService({ ...variables, SERVICE_ROLE: 'api', KAFKA_CLIENT_ID: unique('api') });
  });
  after(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await schema?.drop();
  });

  it('an api alone publishes, answers the status of what it published, and joins no group', async () => {
    firstEvent = await publish(api, unique('user'));
    const status = await statusOnceIt(api.url, firstEvent, 'published');
    expect(status.partition).to.be.a('number');
    expect(await membersOf(groupId)).to.deep.equal([]);
    expect((await fetch(`${api.url}/events/processed/${firstEvent}`)).status).to.equal(404);
  });

  it('a worker started beside it processes what the api published; the api then serves it', async () => {
    worker = await runService({
      ...variables,
      SERVICE_ROLE: 'worker',
      KAFKA_CLIENT_ID: workerClientId,
    });
    await statusOnceIt(api.url, firstEvent, 'processed');
    const userId = unique('user');
    const next = await publish(api, userId);
    const served = await eventually('the second event served by the api', async () => {
      const response = await fetch(`${api.url}/events/processed/${next}`);
      return response.status === 200 ? ((await response.json()) as object) : undefined;
    });
    expect(served).to.deep.include({ eventId: next, userId, eventType: 'LOGIN' });
    expect(await membersOf(groupId), 'the worker is the only member').to.deep.equal([
      workerClientId,
    ]);
  });

  it('each reports ready on the parts it runs, and only those', async () => {
    expect(await readiness(api)).to.deep.equal({
      status: 200,
      body: { status: 'ready', checks: { producer: 'up', topics: 'up', store: 'up' } },
    });
    expect(await readiness(worker!)).to.deep.equal({
      status: 200,
      body: {
        status: 'ready',
        checks: { consumer: 'up', topics: 'up', deadLetterQueue: 'up', store: 'up' },
      },
    });
  });

  it('the worker serves the operations routes, and answers 404 on every event route', async () => {
    for (const { method, path } of documentedRoutes('operations')) {
      const response = await fetch(`${worker!.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).to.equal(200);
    }
    for (const { method, path } of documentedRoutes('events')) {
      const response = await fetch(`${worker!.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).to.equal(404);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    }
    const generate = await postJson(`${worker!.url}/events/generate`, {
      userId: unique('user'),
      eventType: 'LOGIN',
    });
    expect(generate.status).to.equal(404);
  });

  it('the worker writes dead letters, and each exposes the metrics of what it runs', async () => {
    await produceRaw(await kafkaBrokers(), variables.KAFKA_TOPIC!, [{ key: 'k', value: '{' }]);
    const [letter] = await readTopic(await kafkaBrokers(), `${variables.KAFKA_TOPIC}.dlq`, 1);
    expect(letter!.headers['dlq-reason']?.toString()).to.equal('malformed');
    const apiMetrics = await scrapeMetrics(api.url);
    const workerMetrics = await scrapeMetrics(worker!.url);
    expect(apiMetrics.value('events_published_total')).to.equal(2);
    expect(workerMetrics.value('events_processed_total', { outcome: 'processed' })).to.equal(2);
    await eventually('the dead letter counted', async () =>
      (await scrapeMetrics(worker!.url)).value('events_dead_lettered_total', {
        reason: 'malformed',
      }) === 1
        ? true
        : undefined,
    );
    const processing = [
      'events_processed_total',
      'events_dead_lettered_total',
      'kafka_consumer_lag',
    ];
    for (const name of processing) expect(apiMetrics.text).not.to.include(`# TYPE ${name} `);
    expect(workerMetrics.text).not.to.include('# TYPE events_published_total ');
    for (const name of [...processing, 'http_request_duration_seconds'])
      expect(workerMetrics.text).to.include(`# TYPE ${name} `);
    expect(apiMetrics.text).to.include('# TYPE http_request_duration_seconds ');
  });
});
