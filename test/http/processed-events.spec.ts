import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { expectProblem } from './problem-assertions';
import { processedEventsOf, type ServedEvent } from '../support/processed-events';

describe('GET /events/processed', () => {
  let app: RunningService;
  let userId: string;
  let eventIds: string[];
  before(async () => {
    app = await runService();
    userId = unique('reader');
    const events = Array.from({ length: 5 }, (_, n) => ({
      userId,
      eventType: n % 2 === 0 ? 'LOGIN' : 'LOGOUT',
    }));
    eventIds = (
      (await (await postJson(`${app.url}/events/batch`, { events })).json()) as {
        eventIds: string[];
      }
    ).eventIds;
    await eventually('the events to be processed', async () => {
      const list = await processedEventsOf(app.url, userId);
      return list.length === 5 ? list : undefined;
    });
  });
  after(async () => app.stop());

  it('pages with limit and a Link to the next page until the end', async () => {
    const seen: string[] = [];
    let next: string | undefined = `/events/processed?userId=${userId}&limit=2`;
    while (next !== undefined) {
      const response = await fetch(`${app.url}${next}`);
      expect(response.status).to.equal(200);
      seen.push(...((await response.json()) as ServedEvent[]).map((event) => event.eventId));
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
    }
    expect(seen).to.deep.equal(eventIds);
  });

  it('filters by event type', async () => {
    const list = await processedEventsOf(app.url, userId, { eventType: 'LOGOUT' });
    expect(list.map((event) => event.eventId)).to.deep.equal([eventIds[1], eventIds[3]]);
  });

  it('answers 400 for a bad query', async () => {
    for (const query of [
      'limit=0',
      'limit=1001',
      'limit=ten',
      'cursor=bogus',
      'eventType=9',
      'colour=red',
    ]) {
      await expectProblem(await fetch(`${app.url}/events/processed?${query}`), 400);
    }
  });

  it('serves one processed event as its receipt, 404 before, 400 for a non-id', async () => {
    const receipt = await fetch(`${app.url}/events/processed/${eventIds[0]}`);
    expect(receipt.status).to.equal(200);
    expect(await receipt.json()).to.deep.include({
      eventId: eventIds[0],
      userId,
      eventType: 'LOGIN',
    });
    await expectProblem(
      await fetch(`${app.url}/events/processed/6f1c2e4a-9b3d-4c1e-8f2a-1b2c3d4e5f60`),
      404,
    );
    await expectProblem(await fetch(`${app.url}/events/processed/not-an-id`), 400);
  });
});
