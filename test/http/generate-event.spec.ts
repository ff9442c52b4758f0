import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { expectProblem } from './problem-assertions';
import { processedEventsOf } from '../support/processed-events';

describe('POST /events/generate', () => {
  let app: RunningService;
  before(async () => (app = await runService({ EVENT_TYPES: '' })));
  after(async () => app.stop());

  it("answers the seed's example with 201, the eventId and a Location to its receipt", async () => {
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody());
    expect(response.status).to.equal(201);
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    const body = (await response.json()) as { message: string; eventId: string };
    expect(body.message).to.equal('Event published successfully');
    expect(body.eventId).to.match(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).to.equal(`/events/processed/${body.eventId}`);
  });

  it('makes the event visible in GET /events/processed with the seed fields', async () => {
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody('user456'));
    const { eventId } = (await response.json()) as { eventId: string };
    const processed = await eventually('the event to be processed', async () => {
      const list = await processedEventsOf(app.url, 'user456');
      return list.find((event) => event.eventId === eventId);
    });
    expect(processed).to.have.keys('eventId', 'userId', 'eventType', 'timestamp', 'payload');
    expect(processed).to.deep.include({
      userId: 'user456',
      eventType: 'LOGIN',
      payload: { ip: '127.0.0.1' },
    });
  });

  it('gives a retried request with the same Idempotency-Key the same eventId', async () => {
    const send = () =>
      postJson(`${app.url}/events/generate`, seedLoginBody(), { 'Idempotency-Key': 'checkout-7' });
    const first = (await (await send()).json()) as { eventId: string };
    const second = (await (await send()).json()) as { eventId: string };
    expect(second.eventId).to.equal(first.eventId);
  });

  it('keeps a client-chosen eventId', async () => {
    const eventId = 'e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e1';
    const response = await postJson(`${app.url}/events/generate`, { ...seedLoginBody(), eventId });
    expect(((await response.json()) as { eventId: string }).eventId).to.equal(eventId);
  });

  it('answers 400 naming each bad field', async () => {
    const response = await postJson(`${app.url}/events/generate`, {
      userId: '',
      eventType: 'LOG IN',
      payload: 'x',
      extra: true,
    });
    const problem = await expectProblem(response, 400);
    expect((problem.errors as Array<{ path: string }>).map((error) => error.path)).to.deep.equal([
      'userId',
      'eventType',
      'payload',
      'extra',
    ]);
  });

  it('answers 400 for a body that is not JSON, without quoting it', async () => {
    const problem = await expectProblem(
      await postJson(`${app.url}/events/generate`, '{"userId": secret-token'),
      400,
    );
    expect(JSON.stringify(problem)).to.not.include('secret-token');
  });

  it('answers 400 for a malformed Idempotency-Key', async () => {
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody(), {
      'Idempotency-Key': 'k'.repeat(256),
    });
    await expectProblem(response, 400);
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    const response = await fetch(`${app.url}/events/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(seedLoginBody()),
    });
    await expectProblem(response, 415);
  });

  it('answers 413 for a body over the limit', async () => {
    const big = { ...seedLoginBody(), payload: { blob: 'x'.repeat(70 * 1024) } };
    await expectProblem(await postJson(`${app.url}/events/generate`, big), 413);
  });

  it('answers 405 with Allow for a wrong method and 404 for an unknown route', async () => {
    const wrongMethod = await fetch(`${app.url}/events/generate`);
    await expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.get('allow')).to.include('POST');
    await expectProblem(await fetch(`${app.url}/no/such/route`), 404);
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const sane = await postJson(`${app.url}/events/generate`, seedLoginBody(), {
      'X-Request-Id': 'trace-42',
    });
    expect(sane.headers.get('x-request-id')).to.equal('trace-42');
    const unsafe = await postJson(`${app.url}/events/generate`, seedLoginBody(), {
      'X-Request-Id': 'a b<script>',
    });
    expect(unsafe.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });
});
