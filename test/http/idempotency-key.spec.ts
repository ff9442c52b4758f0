import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { statusOnceIt } from '../support/event-status';
import { scrapeMetrics } from '../support/metrics-scrape';
import { unique } from '../support/unique';
import { expectProblem } from './problem-assertions';

describe('an Idempotency-Key used again', () => {
  let app: RunningService;
  before(async () => (app = await runService()));
  after(async () => app.stop());

  const published = async () => (await scrapeMetrics(app.url)).value('events_published_total');

  it('with the same body: the first answer again, nothing published twice', async () => {
    const key = unique('key');
    const body = { userId: unique('user'), eventType: 'LOGIN', payload: { ip: '10.0.0.1' } };
    const first = await postJson(`${app.url}/events/generate`, body, { 'Idempotency-Key': key });
    const { eventId } = (await first.json()) as { eventId: string };
    await statusOnceIt(app.url, eventId, 'processed');
    const before = await published();
    const again = await postJson(`${app.url}/events/generate`, body, { 'Idempotency-Key': key });
    expect(again.status).to.equal(201);
    expect(await again.json()).to.deep.equal({ message: 'Event published successfully', eventId });
    expect(await published()).to.equal(before);
    expect(await statusOnceIt(app.url, eventId, 'processed')).to.include({ deliveries: 1 });
  });

  it('with another body: 422 naming the events, nothing published', async () => {
    const key = unique('key');
    const userId = unique('user');
    const first = await postJson(
      `${app.url}/events/batch`,
      {
        events: [
          { userId, eventType: 'LOGIN' },
          { userId, eventType: 'LOGOUT' },
        ],
      },
      { 'Idempotency-Key': key },
    );
    const { eventIds } = (await first.json()) as { eventIds: string[] };
    for (const eventId of eventIds) await statusOnceIt(app.url, eventId, 'processed');
    const before = await published();
    const reused = await postJson(
      `${app.url}/events/batch`,
      {
        events: [
          { userId, eventType: 'LOGIN' },
          { userId, eventType: 'PURCHASE' },
        ],
      },
      { 'Idempotency-Key': key },
    );
    const problem = await expectProblem(reused, 422);
    expect(problem).to.include({ type: '/problems/idempotency-key-reused' });
    expect(problem.eventIds).to.deep.equal([eventIds[1]]);
    expect(await published()).to.equal(before);
    expect(await statusOnceIt(app.url, eventIds[1]!, 'processed')).to.include({ deliveries: 1 });
  });
});
