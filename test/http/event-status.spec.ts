import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { expectProblem } from './problem-assertions';
import { statusOnceIt } from '../support/event-status';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { heldStore } from '../support/held-store';

describe('GET /events/{eventId}/status (in-memory bus and store)', () => {
  let app: RunningService;
  before(async () => (app = await runService()));
  after(async () => app.stop());

  const post = async (body: Record<string, unknown>): Promise<string> => {
    const response = await postJson(`${app.url}/events/generate`, body);
    expect(response.status).to.equal(201);
    return ((await response.json()) as { eventId: string }).eventId;
  };

  it('answers processed, with when, the latency and one delivery', async () => {
    const posted = Date.now();
    const eventId = await post({ userId: unique('user'), eventType: 'LOGIN' });
    const status = await statusOnceIt(app.url, eventId, 'processed');
    expect(status).to.have.keys(
      'eventId',
      'status',
      'partition',
      'offset',
      'processedAt',
      'latencyMs',
      'deliveries',
    );
    expect(status).to.include({ partition: 0 });
    expect(status).to.include({ eventId, deliveries: 1 });
    expect(Date.parse(status.processedAt as string)).to.be.within(posted, Date.now());
    expect(status.latencyMs)
      .to.be.a('number')
      .within(0, Date.now() - posted);
  });

  it('counts a resubmitted copy with the same content as a delivery, not a conflict', async () => {
    const body = { userId: unique('user'), eventType: 'LOGIN', payload: { ip: '10.0.0.1' } };
    const eventId = await post(body);
    await statusOnceIt(app.url, eventId, 'processed');
    await post({ ...body, eventId });
    const status = await eventually('the second delivery', async () => {
      const seen = (await (await fetch(`${app.url}/events/${eventId}/status`)).json()) as {
        deliveries: number;
      };
      return seen.deliveries === 2 ? seen : undefined;
    });
    expect(status).to.include({ status: 'processed' });
  });

  it('answers conflicting once a copy with other content arrived, and keeps the first', async () => {
    const userId = unique('user');
    const eventId = await post({ userId, eventType: 'LOGIN', payload: { ip: '10.0.0.1' } });
    await statusOnceIt(app.url, eventId, 'processed');
    await post({ userId, eventType: 'LOGIN', payload: { ip: '10.6.6.6' }, eventId });
    const status = await statusOnceIt(app.url, eventId, 'conflicting');
    expect(status).to.include({ deliveries: 2, conflicts: 1 });
    expect(Date.parse(status.lastConflictAt as string)).to.be.at.least(
      Date.parse(status.processedAt as string),
    );
    const stored = (await (await fetch(`${app.url}/events/processed/${eventId}`)).json()) as {
      payload: unknown;
    };
    expect(stored.payload).to.deep.equal({ ip: '10.0.0.1' });
  });

  it('answers 404 for an id it knows nothing of, 400 for one that is no UUID', async () => {
    const unknown = '6f1c2e4a-9b3d-4c1e-8f2a-1b2c3d4e5f60';
    const body = await expectProblem(await fetch(`${app.url}/events/${unknown}/status`), 404);
    expect(body).to.include({ type: '/problems/unknown-event' });
    await expectProblem(await fetch(`${app.url}/events/not-a-uuid/status`), 400);
  });

  it('links the 201 of a POST to the status of each event it published', async () => {
    const single = await postJson(`${app.url}/events/generate`, {
      userId: unique('user'),
      eventType: 'LOGIN',
    });
    const { eventId } = (await single.json()) as { eventId: string };
    expect(single.headers.get('link')).to.equal(`</events/${eventId}/status>; rel="status"`);
    const batch = await postJson(`${app.url}/events/batch`, {
      events: [
        { userId: unique('user'), eventType: 'LOGIN' },
        { userId: unique('user'), eventType: 'LOGOUT' },
      ],
    });
    const { eventIds, statusUrls } = (await batch.json()) as {
      eventIds: string[];
      statusUrls: string[];
    };
    expect(statusUrls).to.deep.equal(eventIds.map((id) => `/events/${id}/status`));
    for (const url of statusUrls) expect((await fetch(`${app.url}${url}`)).status).to.equal(200);
  });

  it('tells caches not to keep a status', async () => {
    const eventId = await post({ userId: unique('user'), eventType: 'LOGIN' });
    await statusOnceIt(app.url, eventId, 'processed');
    const response = await fetch(`${app.url}/events/${eventId}/status`);
    expect(response.headers.get('cache-control')).to.equal('no-store');
  });
});

describe('GET /events/{eventId}/status of an event not processed yet', () => {
  let app: RunningService;
  const held = heldStore();
  before(async () => {
    app = await runService({}, (container) =>
      container.register(PROCESSED_EVENT_STORE, { useValue: held.store }),
    );
  });
  after(async () => {
    held.release();
    await app.stop();
  });

  it('answers published, with where and when this instance published it', async () => {
    const before = Date.now();
    const response = await postJson(`${app.url}/events/generate`, {
      userId: unique('user'),
      eventType: 'LOGIN',
    });
    const { eventId } = (await response.json()) as { eventId: string };
    const status = (await (await fetch(`${app.url}/events/${eventId}/status`)).json()) as Record<
      string,
      unknown
    >;
    expect(status).to.have.keys('eventId', 'status', 'partition', 'offset', 'publishedAt');
    expect(status).to.include({ eventId, status: 'published', partition: 0 });
    expect(status.offset).to.match(/^\d+$/);
    expect(Date.parse(status.publishedAt as string)).to.be.within(before, Date.now());
  });
});
