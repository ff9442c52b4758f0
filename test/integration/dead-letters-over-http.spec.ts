import { expect } from 'chai';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { seedLoginBody } from '../support/builders';
import { FaultyStore } from '../support/faulty-store';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { expectProblem } from '../http/problem-assertions';

interface Letter {
  readonly id: string;
  readonly eventId: string;
  readonly reason: string;
  readonly error: string;
}

for (const client of KAFKA_CLIENTS) {
  describe(`GET /dead-letters and POST /dead-letters/replay on ${client}`, function () {
    this.timeout(120_000);
    let app: RunningService;
    let store: FaultyStore;
    before(async () => {
      store = new FaultyStore({ saveIfNew: 'unavailable' });
      app = await runService(
        { ...(await onKafka(unique('letters'))), KAFKA_CLIENT: client, PROCESS_MAX_ATTEMPTS: '2' },
        (container) => container.register(PROCESSED_EVENT_STORE, { useValue: store }),
      );
    });
    after(async () => app?.stop());

    const letters = async () => {
      const response = await fetch(`${app.url}/dead-letters`);
      expect(response.status).to.equal(200);
      return (await response.json()) as { letters: Letter[]; complete: boolean };
    };
    const replay = (body: unknown) => postJson(`${app.url}/dead-letters/replay`, body);

    it('lists an event whose retries were exhausted, and replays it once the store is back', async () => {
      const response = await postJson(`${app.url}/events/generate`, seedLoginBody(unique('dlq')));
      const { eventId } = (await response.json()) as { eventId: string };
      const listed = await eventually(
        'the event on the DLQ',
        async () => {
          const { letters: found, complete } = await letters();
          return found.length > 0 ? { found, complete } : undefined;
        },
        60_000,
        500,
      );
      expect(listed.complete).to.equal(true);
      expect(listed.found).to.have.length(1);
      expect(listed.found[0]).to.include({
        eventId,
        reason: 'retries-exhausted',
        error: 'connection refused',
      });

      store.heal();
      const replayed = await replay({ ids: [listed.found[0]!.id] });
      expect(replayed.status).to.equal(200);
      expect(await replayed.json()).to.deep.equal({ replayed: [listed.found[0]!.id] });
      const { url } = app;
      await eventually(
        'the replayed event processed',
        async () =>
          (await fetch(`${url}/events/processed/${eventId}`)).status === 200 ? true : undefined,
        30_000,
      );
      expect((await letters()).letters, 'a replayed letter stays on the queue').to.have.length(1);
    });

    it('replays nothing when one id names no letter, and says which', async () => {
      const [letter] = (await letters()).letters;
      const response = await replay({ ids: [letter!.id, '0:999999'] });
      const problem = await expectProblem(response, 404);
      expect(problem.type).to.equal('/problems/dead-letters-not-found');
      expect(problem.ids).to.deep.equal(['0:999999']);
    });

    it('answers 400 for an id that is not partition:offset, or none', async () => {
      for (const body of [{ ids: ['seven'] }, { ids: [] }, { letters: ['0:1'] }]) {
        const problem = await expectProblem(await replay(body), 400);
        expect(problem.type).to.equal('/problems/invalid-input');
      }
    });
  });
}
