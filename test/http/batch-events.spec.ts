import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { expectProblem } from './problem-assertions';
import { processedEventsOf } from '../support/processed-events';

describe('POST /events/batch', () => {
  let app: RunningService;
  before(async () => (app = await runService()));
  after(async () => app.stop());

  it('publishes every event and answers 201 with their ids in request order', async () => {
    const userId = unique('batch');
    const events = ['LOGIN', 'PRODUCT_VIEW', 'LOGOUT'].map((eventType) => ({
      userId,
      eventType,
      payload: { n: eventType },
    }));
    const response = await postJson(`${app.url}/events/batch`, { events });
    expect(response.status).to.equal(201);
    const body = (await response.json()) as { message: string; eventIds: string[] };
    expect(body.message).to.equal('Events published successfully');
    const processed = await eventually('the batch to be processed', async () => {
      const list = await processedEventsOf(app.url, userId);
      return list.length === 3 ? list : undefined;
    });
    expect(processed.map((event) => [event.eventId, event.eventType])).to.deep.equal(
      body.eventIds.map((eventId, index) => [eventId, events[index]!.eventType]),
    );
  });

  it('publishes nothing and lists the bad indexes when any event is invalid', async () => {
    const userId = unique('batch');
    const events = [
      { userId, eventType: 'LOGIN' },
      { userId, eventType: '' },
      { userId },
      { userId, eventType: 'LOGOUT' },
    ];
    const problem = await expectProblem(await postJson(`${app.url}/events/batch`, { events }), 400);
    expect(problem.detail).to.include('indexes 1, 2');
    expect((problem.errors as Array<{ path: string }>).map((error) => error.path)).to.deep.equal([
      'events.1.eventType',
      'events.2.eventType',
    ]);
    const accepted = await postJson(`${app.url}/events/batch`, {
      events: [{ userId, eventType: 'MARKER' }],
    });
    expect(accepted.status).to.equal(201);
    const list = await eventually('the marker to be processed', async () => {
      const found = await processedEventsOf(app.url, userId);
      return found.length > 0 ? found : undefined;
    });
    expect(list.map((event) => event.eventType)).to.deep.equal(['MARKER']);
  });

  it('accepts 1 to 500 events', async () => {
    await expectProblem(await postJson(`${app.url}/events/batch`, { events: [] }), 400);
    const tooMany = Array.from({ length: 501 }, () => seedLoginBody());
    await expectProblem(await postJson(`${app.url}/events/batch`, { events: tooMany }), 400);
    const most = Array.from({ length: 500 }, () => seedLoginBody());
    expect((await postJson(`${app.url}/events/batch`, { events: most })).status).to.equal(201);
  });

  it('rejects unknown top-level fields', async () => {
    await expectProblem(
      await postJson(`${app.url}/events/batch`, { events: [seedLoginBody()], dryRun: true }),
      400,
    );
  });
});
