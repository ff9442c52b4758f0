import { expect } from 'chai';
import { postJson, runService, type RunningService } from '../support/running-service';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { SseClient, streamedEvents, type StreamedEvent } from '../support/sse-client';

const onPostgres = (databaseUrl: string) =>
  runService({ EVENT_BUS: 'memory', STORE: 'postgres', DATABASE_URL: databaseUrl });

/** Ten events of `userId` published on each of `apps` at once; their eventIds. */
async function publishOnEach(apps: readonly RunningService[], userId: string): Promise<string[]> {
  const events = Array.from({ length: 10 }, () => ({ userId, eventType: 'LOGIN' }));
  const answers = await Promise.all(
    apps.map(async (app) => {
      const answer = await postJson(`${app.url}/events/batch`, { events });
      return ((await answer.json()) as { eventIds: string[] }).eventIds;
    }),
  );
  return answers.flat();
}

describe('GET /events/stream with STORE=postgres, two instances writing at once', function () {
  this.timeout(60_000);
  let schema: TestSchema;
  const running = new Set<RunningService>();
  const start = async () => {
    const app = await onPostgres(schema.url);
    running.add(app);
    return app;
  };
  const stop = async (app: RunningService) => {
    running.delete(app);
    await app.stop();
  };
  before(async () => (schema = await freshSchema('stream')));
  after(async () => {
    await Promise.all([...running].map((app) => app.stop()));
    await schema.drop();
  });

  it('resumes on any instance with exactly what it missed, across a forced reconnect and a restart', async () => {
    const userId = unique('follower');
    const [a, b] = [await start(), await start()];
    const stream = `/events/stream?userId=${userId}`;
    const received: StreamedEvent[] = [];
    const follow = async (app: RunningService, lastEventId: string | undefined, total: number) => {
      const client = await SseClient.open(
        `${app.url}${stream}`,
        lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId },
      );
      expect(client.response.status).to.equal(200);
      return {
        client,
        all: () =>
          eventually(
            `${total} events streamed`,
            () =>
              received.length + streamedEvents(client.events).length >= total ? true : undefined,
            20_000,
          ).then(() => received.push(...streamedEvents(client.events))),
      };
    };

    const sent: string[] = [];
    let on = await follow(a, undefined, 20);
    sent.push(...(await publishOnEach([a, b], userId)));
    await on.all();

    // A forced reconnect, to the other instance, after missing 20 events.
    on.client.close();
    sent.push(...(await publishOnEach([a, b], userId)));
    on = await follow(b, on.client.lastEventId, 40);
    await on.all();

    // The instance it follows restarts: its stream ends saying where to resume.
    await stop(b);
    await eventually('the stream ended', () => (on.client.isEnded ? true : undefined));
    expect(on.client.events.at(-1)?.event).to.equal('closing');
    sent.push(...(await publishOnEach([a], userId)));
    const restarted = await start();
    on = await follow(restarted, on.client.lastEventId, 60);
    sent.push(...(await publishOnEach([a, restarted], userId)));
    await eventually(
      '70 events streamed',
      () => (received.length + streamedEvents(on.client.events).length >= 70 ? true : undefined),
      20_000,
    );
    received.push(...streamedEvents(on.client.events));
    on.client.close();

    const ids = received.map((one) => one.eventId);
    const duplicates = ids.length - new Set(ids).size;
    const missed = sent.filter((id) => !ids.includes(id));
    console.log(
      `      sent ${sent.length}, received ${ids.length}, duplicates ${duplicates}, missed ${missed.length}`,
    );
    expect(duplicates).to.equal(0);
    expect(missed).to.deep.equal([]);
    expect(ids).to.have.length(sent.length);
  });
});
