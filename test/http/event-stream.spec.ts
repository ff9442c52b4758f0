import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { startService } from '../../src/composition-root';
import { STREAM_TIMINGS } from '../../src/adapters/http/event-stream';
import type { ServiceRuntime } from '../../src/wiring/service-runtime';
import { testConfig } from '../support/test-config';
import { postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { SseClient, streamedEvents } from '../support/sse-client';
import { expectProblem } from './problem-assertions';
import { scrapeMetrics } from '../support/metrics-scrape';

/** Publishes `count` events of `userId` and answers their eventIds, in order. */
async function publish(app: RunningService, userId: string, count: number, eventType = 'LOGIN') {
  const events = Array.from({ length: count }, () => ({ userId, eventType }));
  const answer = (await (await postJson(`${app.url}/events/batch`, { events })).json()) as {
    eventIds: string[];
  };
  return answer.eventIds;
}

/** Waits until `client` has received `count` processed events of `userId`. */
const received = (client: SseClient, userId: string, count: number) =>
  eventually(
    `${count} events of ${userId} streamed`,
    () => {
      const mine = streamedEvents(client.events).filter((one) => one.userId === userId);
      return mine.length >= count ? mine : undefined;
    },
    5000,
  );

describe('GET /events/stream', () => {
  let app: RunningService;
  const open: SseClient[] = [];
  const stream = async (query = '', headers: Record<string, string> = {}) => {
    const client = await SseClient.open(`${app.url}/events/stream${query}`, headers);
    open.push(client);
    return client;
  };
  before(async () => {
    // A request timeout far below the stream's life: a stream is not a slow request.
    app = await runService({
      SSE_MAX_CLIENTS: '3',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  after(async () => app.stop());

  it('streams each event processed after it connected, its id the cursor after it', async () => {
    const client = await stream();
    expect(client.response.status).to.equal(200);
    expect(client.response.headers.get('content-type')).to.match(/^text\/event-stream/);
    const userId = unique('live');
    const [eventId] = await publish(app, userId, 1);
    const [event] = await eventually('the event streamed', () => {
      const mine = client.events.filter((one) => one.data.includes(userId));
      return mine.length > 0 ? mine : undefined;
    });
    expect(event!.event).to.equal('processed');
    expect(JSON.parse(event!.data)).to.deep.include({ eventId, userId, eventType: 'LOGIN' });
    expect(event!.id).to.match(/^[A-Za-z0-9_-]+$/);
  });

  it('keeps streaming past the request timeout', async () => {
    const client = await stream();
    const userId = unique('later');
    // The condition under test is time itself: the stream outlives HTTP_REQUEST_TIMEOUT_MS.
    await delay(1500);
    await publish(app, userId, 1);
    expect(await received(client, userId, 1)).to.have.length(1);
    expect(client.isEnded).to.equal(false);
  });
  it('resumes after Last-Event-ID, or ?cursor=, with exactly the events it missed', async () => {
    const userId = unique('resumer');
    const first = await stream(`?userId=${userId}`);
    const before = await publish(app, userId, 3);
    await received(first, userId, 3);
    first.close();
    const missed = await publish(app, userId, 5);
    const lastId = first.lastEventId!;
    for (const resumed of [
      await stream(`?userId=${userId}`, { 'Last-Event-ID': lastId }),
      await stream(`?userId=${userId}&cursor=${lastId}`),
    ]) {
      const got = (await received(resumed, userId, 5)).map((one) => one.eventId);
      expect(got).to.deep.equal(missed);
      expect(
        got.filter((id) => before.includes(id)),
        'events streamed twice',
      ).to.deep.equal([]);
      resumed.close();
    }
  });

  it('streams only the events of the filters given', async () => {
    const userId = unique('filtered');
    const client = await stream(`?userId=${userId}&eventType=LOGOUT`);
    await publish(app, unique('someone-else'), 2, 'LOGOUT');
    await publish(app, userId, 2, 'LOGIN');
    const [logout] = await publish(app, userId, 1, 'LOGOUT');
    const got = await received(client, userId, 1);
    expect(got.map((one) => one.eventId)).to.deep.equal([logout]);
    expect(streamedEvents(client.events).map((one) => one.eventId)).to.deep.equal([logout]);
  });

  it('answers 400 for a cursor, a Last-Event-ID or a query it does not know', async () => {
    for (const [query, headers] of [
      ['?cursor=not-a-cursor', {}],
      ['', { 'Last-Event-ID': 'bm90LWEtY3Vyc29y' }],
      ['?limit=5', {}],
    ] as const) {
      const client = await stream(query, headers);
      const problem = await expectProblem(client.response, 400);
      expect(problem.type).to.equal('/problems/invalid-input');
    }
  });

  it(`refuses a stream beyond SSE_MAX_CLIENTS with 503 and Retry-After`, async () => {
    for (let n = 0; n < 3; n += 1) expect((await stream()).response.status).to.equal(200);
    const refused = await stream();
    const problem = await expectProblem(refused.response, 503);
    expect(problem.type).to.equal('/problems/too-many-streams');
    expect(refused.response.headers.get('retry-after')).to.equal('2');
    open.at(0)!.close();
    await eventually('a place freed', async () => {
      const client = await stream();
      return client.response.status === 200 ? true : undefined;
    });
  });
});

describe('GET /events/stream with API keys', () => {
  it('needs a key that may read, and takes it as a header', async () => {
    const app = await runService({
      API_KEYS: 'write-key-0123456789abcdef',
      READ_API_KEYS: 'read-key-0123456789abcdef',
    });
    try {
      const without = await SseClient.open(`${app.url}/events/stream`);
      await expectProblem(without.response, 401);
      const reader = await SseClient.open(`${app.url}/events/stream`, {
        Authorization: 'Bearer read-key-0123456789abcdef',
      });
      expect(reader.response.status).to.equal(200);
      reader.close();
    } finally {
      await app.stop();
    }
  });
});

describe('GET /events/stream while the service stops', () => {
  it('ends every stream with a last event naming where to resume, and the service stops', async () => {
    const app = await runService();
    const client = await SseClient.open(`${app.url}/events/stream`);
    const userId = unique('stopping');
    await publish(app, userId, 2);
    await received(client, userId, 2);
    await app.stop();
    await eventually('the stream ended', () => (client.isEnded ? true : undefined));
    const last = client.events.at(-1)!;
    expect(last.event).to.equal('closing');
    expect(JSON.parse(last.data)).to.include({ cursor: client.events.at(-2)!.id });
    expect(last.id).to.equal(client.events.at(-2)!.id);
  });
});

describe('GET /events/stream to a client that stops reading', function () {
  this.timeout(60_000);
  const EVENTS = 10_000;
  let service: ServiceRuntime;
  let url: string;
  before(async () => {
    // Short bounds, so that the kernel's buffers fill with a few megabytes of events.
    service = await startService(testConfig(), {
      streamTimings: { ...STREAM_TIMINGS, maxBufferedBytes: 16 * 1024, slowReaderMs: 2000 },
    });
    url = `http://127.0.0.1:${(await service.listen(0, '127.0.0.1')).port}`;
    const payload = { note: 'x'.repeat(1000) };
    for (let sent = 0; sent < EVENTS; sent += 50) {
      const events = Array.from({ length: 50 }, () => ({
        userId: 'reader',
        eventType: 'LOGIN',
        payload,
      }));
      expect((await postJson(`${url}/events/batch`, { events })).status).to.equal(201);
    }
  });
  after(async () => service.stop());

  /** A client that sends the request and then reads nothing until it is told to. */
  const unreadStream = () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.pause();
    const start = Buffer.from('follow:0:0').toString('base64url');
    socket.write(`GET /events/stream?cursor=${start} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    return socket;
  };
  const streamsEnded = async (reason: string) =>
    (await scrapeMetrics(url)).value('event_streams_ended_total', { reason });

  it('ends its stream with a last `behind` event naming where to resume, and resuming gets the rest', async () => {
    const endedBefore = await streamsEnded('behind');
    const socket = unreadStream();
    await eventually('the stream gave up on its client', async () =>
      (await streamsEnded('behind')) > endedBefore ? true : undefined,
    );
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.resume();
    await eventually('the stream ended', () => (/event:behind\n/.test(text) ? true : undefined));
    socket.destroy();
    const blocks = text.split('\n\n').filter((block) => block.includes('data:'));
    const processed = blocks.filter((block) => block.includes('event:processed'));
    const behind = blocks.at(-1)!;
    expect(behind).to.match(/^event:behind$/m);
    expect(processed.length).to.be.greaterThan(0).and.lessThan(EVENTS);
    const lastId = /^id:(.+)$/m.exec(processed.at(-1)!)![1]!;
    expect(/^id:(.+)$/m.exec(behind)![1]).to.equal(lastId);

    const resumed = await SseClient.open(`${url}/events/stream`, { 'Last-Event-ID': lastId });
    try {
      const rest = await eventually(
        'the rest streamed',
        () => {
          const got = streamedEvents(resumed.events);
          return processed.length + got.length >= EVENTS ? got : undefined;
        },
        30_000,
      );
      expect(processed.length + rest.length).to.equal(EVENTS);
    } finally {
      resumed.close();
    }
  });

  it('cuts the connection of a client that never reads, and its slot is free again', async () => {
    const socket = unreadStream();
    let text = '';
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await eventually('the stream opened', async () =>
      (await scrapeMetrics(url)).value('event_streams_open') === 1 ? true : undefined,
    );
    await eventually(
      'the slot freed',
      async () => ((await scrapeMetrics(url)).value('event_streams_open') === 0 ? true : undefined),
      15_000,
    );
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.resume();
    await closed;
    // Cut, not finished: the chunked response's last chunk never came.
    expect(text).to.not.match(/\r\n0\r\n\r\n$/);
  });
});
