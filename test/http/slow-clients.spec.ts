import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { eventually } from '../support/eventually';

const SLOW_CONNECTIONS = 2000;
const HEADERS_TIMEOUT_MS = 3000;
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

/** The latency of each POST a well-behaved client sends, one every 100 ms, until `done`. */
async function normalClient(app: RunningService, done: () => boolean) {
  const answers: Array<{ status: number; ms: number }> = [];
  while (!done()) {
    const started = performance.now();
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody());
    answers.push({ status: response.status, ms: performance.now() - started });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}

describe('slow and greedy clients', function () {
  this.timeout(90_000);

  it('closes 2,000 connections that send their headers a byte a second after HTTP_HEADERS_TIMEOUT_MS, while a normal client gets answers within 1 s', async () => {
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
      const answers = await normalClient(app, allClosed);
      await eventually('every slow connection closed', () => allClosed() || undefined, 30_000);

      expect(sent, 'still dripping when closed').to.be.below(ENDLESS_HEADERS.length);
      expect(answers.length).to.be.at.least(10);
      expect(answers.filter(({ status }) => status !== 201)).to.deep.equal([]);
      expect(Math.max(...answers.map(({ ms }) => ms)), 'slowest normal answer, ms').to.be.below(
        1000,
      );
      const heldMs = slow.map((client) => client.closedAt! - client.openedAt);
      expect(Math.min(...heldMs), 'not closed before the timeout').to.be.at.least(
        HEADERS_TIMEOUT_MS - 1000,
      );
      expect(Math.max(...heldMs), 'closed by the timeout').to.be.below(HEADERS_TIMEOUT_MS + 10_000);
      const timedOut = slow.filter((client) => client.answer.startsWith('HTTP/1.1 408'));
      expect(timedOut.length, 'answered 408 Request Timeout').to.equal(SLOW_CONNECTIONS);
      console.log(
        `      slowloris: ${SLOW_CONNECTIONS} connections at a byte a second, all answered 408 and closed after ${Math.min(...heldMs)}-${Math.max(...heldMs)} ms; normal client: ${answers.length} POSTs, all 201, slowest ${Math.round(Math.max(...answers.map(({ ms }) => ms)))} ms`,
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
      HTTP_REQUEST_TIMEOUT_MS: '2000',
    });
    const client = await openSlowClient(portOf(app));
    client.socket.write(
      'POST /events/generate HTTP/1.1\r\nHost: service\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    const drip = setInterval(() => client.socket.write(' '), 500);
    try {
      await eventually('the slow body cut off', () => client.closedAt ?? undefined, 10_000);
      expect(client.answer).to.match(/^HTTP\/1\.1 408/);
      expect(client.closedAt! - client.openedAt).to.be.within(1500, 4000);
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
