import { expect } from 'chai';
import fc from 'fast-check';
import { maxHeaderSize } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { withDeadline } from '../../src/adapters/kafka/with-deadline';

const RUNS = 1000;
const parameters = (): fc.Parameters<unknown> => ({
  numRuns: RUNS,
  ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }),
});
const KEY = 'a-key-of-sixteen-characters';
// The after-each check's own key, so that the fuzzed requests' rate limit never refuses it.
const CHECK_KEY = 'the-check-key-of-sixteen-characters';
// Low enough that the fuzzed requests run into it: 429 is among the answers they get.
const RATE_LIMIT = 300;
// Everything a client can get here but a server error: Node's own 400, 408 and 431 included.
const CLIENT_ANSWERS = [201, 400, 401, 404, 405, 408, 413, 415, 429, 431];

/**
 * Sends `chunks` on a connection of its own, waiting `pauseMs` between them, and resolves with
 * the status of the answer, or `undefined` when the connection ended before any byte of one.
 */
async function exchange(
  port: number,
  chunks: readonly Buffer[],
  pauseMs: number,
): Promise<number | undefined> {
  const socket = connect({ host: '127.0.0.1', port });
  let answer = '';
  // Answered once the status line and headers are in, or once the server closed the connection.
  const ended = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n\r\n')) resolve();
    });
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
  try {
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    for (const chunk of chunks) {
      // Once the server answered (a 431 for oversized headers closes the connection), more bytes
      // would only meet a reset, which discards the answer not read yet: a client stops sending.
      if (socket.destroyed || answer !== '') break;
      socket.write(chunk);
      if (pauseMs > 0) await delay(pauseMs);
    }
    const done = await withDeadline(
      ended.then(() => true),
      10_000,
      () => false,
    );
    if (!done) throw new Error(`no answer within 10 s; got ${JSON.stringify(answer.slice(0, 80))}`);
  } finally {
    socket.destroy();
  }
  if (answer === '') return undefined;
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1];
  if (status === undefined)
    throw new Error(`not an HTTP answer: ${JSON.stringify(answer.slice(0, 80))}`);
  return Number(status);
}

/**
 * Node refuses headers over its limit with a 431 and closes at once, with the rest of the request
 * unread: the kernel then resets the connection, and a reset can discard the 431 before the client
 * reads it (the race HTTP servers' "lingering close" exists for). So an empty answer is a refusal
 * for such a request only; for any other it is a defect.
 */
const expectClientAnswer = (status: number | undefined, sent: Buffer): void => {
  if (status === undefined) {
    const headerBytes = sent.indexOf('\r\n\r\n');
    expect(headerBytes, 'no answer to a request within the header limit').to.be.above(
      maxHeaderSize,
    );
  } else expect(status).to.be.oneOf(CLIENT_ANSWERS);
};

const request = (headers: ReadonlyArray<readonly [string, string]>, body: string): Buffer => {
  const lines = [
    'POST /events/generate HTTP/1.1',
    'Host: service',
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
};

/** Splits `bytes` at `cuts` (fractions of its length). */
const split = (bytes: Buffer, cuts: readonly number[]): Buffer[] => {
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  return [0, ...at]
    .map((from, i) => bytes.subarray(from, at[i] ?? bytes.length))
    .filter((c) => c.length > 0);
};

// Header values of every kind a client may send: tokens, the rate limit's own fields, made-up
// and valid keys, any latin-1 text, and values long enough to pass Node's 16 KiB header limit.
const headerName = fc.oneof(
  fc.constantFrom(
    'Authorization',
    'RateLimit',
    'RateLimit-Policy',
    'Retry-After',
    'X-Forwarded-For',
    'X-Request-Id',
    'Idempotency-Key',
    'Accept',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/),
);
const headerValue = fc.oneof(
  fc.constantFrom(`Bearer ${KEY}`, 'Bearer ', 'Bearer made-up-key', '"per-minute";r=0;t=1', '0'),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((text) => text.replace(/[\r\n\0]/g, '')),
  fc.integer({ min: 1, max: 24 }).map((kib) => 'v'.repeat(kib * 1024)),
);
// Half the requests carry the valid key first, so that they get past it to the body.
const headers = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }))
  .map(([keyed, more]) => (keyed ? [['Authorization', `Bearer ${KEY}`] as const, ...more] : more));
const body = fc.oneof(
  fc.constant(JSON.stringify(seedLoginBody())),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 300 }),
);

describe('fuzzing what a connection sends besides a JSON body (fast-check)', function () {
  this.timeout(300_000);
  let app: RunningService;
  let port: number;
  before(async () => {
    app = await runService({
      API_KEYS: `${KEY},${CHECK_KEY}`,
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
      MEMORY_STORE_MAX_EVENTS: '20000',
    });
    port = Number(new URL(app.url).port);
  });
  after(async () => app.stop());

  afterEach('the service still answers', async () => {
    expect((await fetch(`${app.url}/health/live`)).status).to.equal(200);
    const accepted = await postJson(`${app.url}/events/generate`, seedLoginBody(), {
      Authorization: `Bearer ${CHECK_KEY}`,
    });
    expect(accepted.status).to.equal(201);
  });

  it('answers any headers, rate-limit fields and oversized ones included, never with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(headers, body, async (sent, text) => {
        const bytes = request(sent, text);
        expectClientAnswer(await exchange(port, [bytes], 0), bytes);
      }),
      parameters(),
    );
  });

  it('answers requests that arrive in pieces, slowly, never with a 5xx', async () => {
    const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        headers,
        body,
        cuts,
        fc.integer({ min: 0, max: 3 }),
        async (sent, text, at, pauseMs) => {
          const bytes = request(sent, text);
          expectClientAnswer(await exchange(port, split(bytes, at), pauseMs), bytes);
        },
      ),
      parameters(),
    );
  });
});
