import { expect } from 'chai';
import * as TE from 'fp-ts/TaskEither';
import { EVENT_PUBLISHER, type EventPublisher } from '../../src/application/event-publisher.port';
import { postJson, runService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { expectProblem } from './problem-assertions';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { FaultyStore } from '../support/faulty-store';
import { eventually } from '../support/eventually';
import { processedEventsOf } from '../support/processed-events';

describe('HTTP policies from configuration and downstream failures', () => {
  it('answers 503 with Retry-After and the ids to retry with when the broker does not acknowledge', async () => {
    const unavailable: EventPublisher = {
      publish: () => TE.left({ _tag: 'PublishTimedOut', afterMs: 5000 }),
    };
    const app = await runService({}, (container) =>
      container.register(EVENT_PUBLISHER, { useValue: unavailable }),
    );
    try {
      const eventId = 'e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e1';
      const response = await postJson(`${app.url}/events/generate`, {
        ...seedLoginBody(),
        eventId,
      });
      const problem = await expectProblem(response, 503);
      expect(response.headers.get('retry-after')).to.match(/^\d+$/);
      expect(problem.eventIds).to.deep.equal([eventId]);
    } finally {
      await app.stop();
    }
  });

  it('sheds load with 503 at once beyond MAX_PENDING_EVENTS, and takes events again once they drain', async () => {
    const store = new FaultyStore({ saveIfNew: 'unavailable' });
    const app = await runService({ MAX_PENDING_EVENTS: '3' }, (container) =>
      container.register(PROCESSED_EVENT_STORE, { useValue: store }),
    );
    try {
      // The first event is with the stalled store; the next three wait in the bus's queue.
      const statuses: number[] = [];
      for (let n = 0; n < 4; n += 1) {
        statuses.push((await postJson(`${app.url}/events/generate`, seedLoginBody())).status);
      }
      expect(statuses).to.deep.equal([201, 201, 201, 201]);
      const eventId = 'f1c2e4a6-9b3d-4c1e-8f2a-1b2c3d4e5f60';
      const shed = await postJson(`${app.url}/events/generate`, { ...seedLoginBody(), eventId });
      const problem = await expectProblem(shed, 503);
      expect(problem).to.include({ type: '/problems/overloaded' });
      expect(problem.eventIds).to.deep.equal([eventId]);
      expect(shed.headers.get('retry-after')).to.match(/^\d+$/);

      store.heal();
      await eventually('the queue drained', async () =>
        (await processedEventsOf(app.url, 'user123')).length === 4 ? true : undefined,
      );
      const retried = await postJson(`${app.url}/events/generate`, { ...seedLoginBody(), eventId });
      expect(retried.status).to.equal(201);
    } finally {
      await app.stop();
    }
  });

  it('accepts only the event types listed in EVENT_TYPES', async () => {
    const app = await runService({ EVENT_TYPES: 'LOGIN,LOGOUT' });
    try {
      expect((await postJson(`${app.url}/events/generate`, seedLoginBody())).status).to.equal(201);
      const problem = await expectProblem(
        await postJson(`${app.url}/events/generate`, { ...seedLoginBody(), eventType: 'PURCHASE' }),
        400,
      );
      expect(problem.errors).to.deep.equal([
        { path: 'eventType', message: 'must be one of LOGIN, LOGOUT' },
      ]);
    } finally {
      await app.stop();
    }
  });

  it('reports live and ready with the state of each part', async () => {
    const app = await runService();
    try {
      const live = await fetch(`${app.url}/health/live`);
      expect(live.status).to.equal(200);
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({
        status: 'ready',
        checks: { bus: 'up', store: 'up' },
      });
      expect((await fetch(`${app.url}/health`)).status).to.equal(200);
    } finally {
      await app.stop();
    }
  });
});
