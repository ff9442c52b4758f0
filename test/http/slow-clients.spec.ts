import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { eventually } from '../support/eventually';

const SLOW_CONNECTIONS = 2000;
// Long enough that the last connections opened are still held while the normal client posts,
// however long two loaded cores take to open all of them.
const HEADERS_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 2000;
// Half of them open at once is "while the slow ones are held".
const HELD_AT_LEAST = SLOW_CONNECTIONS / 2;
// A request that is never finished: sent one byte a second, as a slowloris client does.
const ENDLESS_HEADERS =
  'POST /events/generate HTTP/1.1\r\nHost: service\r\nContent-Type: application/json\r\nX-Slow: ' +
  'x'.repeat(200);

interface SlowClient {
  readonly socket: Socket;
  readonly openedAt: number;
  closedAt?: number;
  answer: string;
}

const portOf = (app: RunningService) => Number(new URL(app.url).port);

async function openSlowClient(port: number): Promise<SlowClient> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  );
  const client: SlowClient = { socket, openedAt: Date.now(), answer: '' };
  socket.on('data', (chunk: Buffer) => (client.answer += chunk.toString('latin1')));
  socket.on('close', () => (client.closedAt = Date.now()));
  socket.on('error', () => undefined);
  return client;
}

/**
 * Each POST a well-behaved client sends, one every 100 ms, until `done`: its status, latency and
 * how many slow connections were held open when it was answered.
 */
async function normalClient(app: RunningService, done: () => boolean, held: () => number) {
  const answers: Array<{ status: number; ms: number; held: number }> = [];
  while (!done()) {
    const started = performance.now();
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody());
    answers.push({ status: response.status, ms: performance.now() - started, held: held() });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}

describe('slow and greedy clients', function () {
  this.timeout(90_000);

  it('closes 2,000 connections that send their headers a byte a second after HTTP_HEADERS_TIMEOUT_MS and not before, serving a normal client while they are held', async () => {
    const app = await runService({ HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) });
    const slow: SlowClient[] = [];
    let sent = 0;
    const drip = setInterval(() => {
      for (const { socket } of slow) if (!socket.destroyed) socket.write(ENDLESS_HEADERS[sent]!);
      sent += 1;
    }, 1000);
    try {
      for (let n = 0; n < SLOW_CONNECTIONS; n += 1) slow.push(await openSlowClient(portOf(app)));
      const allClosed = () => slow.every((client) => client.closedAt !== undefined);
      const held = () => slow.filter((client) => client.closedAt === undefined).length;
      const answers = await normalClient(app, allClosed, held);
      await eventually('every slow connection closed', () => allClosed() || undefined, 30_000);

      expect(sent, 'still dripping when closed').to.be.below(ENDLESS_HEADERS.length);
      expect(answers.filter(({ status }) => status !== 201)).to.deep.equal([]);
      const whileHeld = answers.filter((answer) => answer.held >= HELD_AT_LEAST);
      expect(
        whileHeld.length,
        `answers while ${HELD_AT_LEAST}+ slow ones were held`,
      ).to.be.at.least(3);
      // Node measures the timeout from the connection's accept, a moment before the client's
      // connect event: never earlier than that, however loaded the machine (later is allowed).
      const heldMs = slow.map((client) => client.closedAt! - client.openedAt);
      expect(Math.min(...heldMs), 'not closed before the timeout').to.be.at.least(
        HEADERS_TIMEOUT_MS - 1000,
      );
      // Closed by the timeout itself: each answered 408, none by finishing its headers.
      const timedOut = slow.filter((client) => client.answer.startsWith('HTTP/1.1 408'));
      expect(timedOut.length, 'answered 408 Request Timeout').to.equal(SLOW_CONNECTIONS);
      console.log(
        `      slowloris: ${SLOW_CONNECTIONS} connections at a byte a second, all answered 408 and closed after ${Math.min(...heldMs)}-${Math.max(...heldMs)} ms; normal client: ${answers.length} POSTs, all 201, ${whileHeld.length} of them while ${HELD_AT_LEAST}+ were held, slowest ${Math.round(Math.max(...answers.map(({ ms }) => ms)))} ms`,
      );
    } finally {
      clearInterval(drip);
      for (const { socket } of slow) socket.destroy();
      await app.stop();
    }
  });

  it('answers 408 to a body that arrives slower than HTTP_REQUEST_TIMEOUT_MS', async () => {
    const app = await runService({
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
    const client = await openSlowClient(portOf(app));
    client.socket.write(
      'POST /events/generate HTTP/1.1\r\nHost: service\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    const drip = setInterval(() => client.socket.write(' '), 500);
    try {
      await eventually('the slow body cut off', () => client.closedAt ?? undefined, 30_000);
      expect(client.answer).to.match(/^HTTP\/1\.1 408/);
      // The request timeout's doing, not the headers timeout's (1 s): not closed before it.
      expect(client.closedAt! - client.openedAt).to.be.at.least(REQUEST_TIMEOUT_MS - 500);
      expect((await postJson(`${app.url}/events/generate`, seedLoginBody())).status).to.equal(201);
    } finally {
      clearInterval(drip);
      client.socket.destroy();
      await app.stop();
    }
  });

  it('drops connections beyond HTTP_MAX_CONNECTIONS, and takes new ones once some close', async () => {
    const app = await runService({ HTTP_MAX_CONNECTIONS: '20' });
    const held: SlowClient[] = [];
    try {
      for (let n = 0; n < 20; n += 1) held.push(await openSlowClient(portOf(app)));
      const refused = await fetch(`${app.url}/health/live`).then(
        (response) => `answered ${response.status}`,
        () => 'dropped',
      );
      expect(refused).to.equal('dropped');
      for (const { socket } of held.splice(0, 5)) socket.destroy();
      await eventually('a connection taken again', () =>
        fetch(`${app.url}/health/live`).then(
          (response) => response.status === 200 || undefined,
          () => undefined,
        ),
      );
    } finally {
      for (const { socket } of held) socket.destroy();
      await app.stop();
    }
  });
});
