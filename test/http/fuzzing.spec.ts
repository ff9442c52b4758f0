import { expect } from 'chai';
import fc from 'fast-check';
import { postJson, runService, type RunningService } from '../support/running-service';

const RUNS = 1000;
// A failure prints fast-check's seed and path; FUZZ_SEED replays one.
const parameters = (): fc.Parameters<unknown> => ({
  numRuns: RUNS,
  ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }),
});

/** A client error is a problem document; a server error never happens. */
async function expectClientErrorOrCreated(response: Response): Promise<number> {
  const text = await response.text();
  expect(response.status, text).to.be.oneOf([201, 400, 401, 404, 405, 413, 415]);
  if (response.status >= 400) {
    expect(response.headers.get('content-type')).to.equal('application/problem+json');
    expect(text).to.not.match(/\/work\/|node_modules|\n\s+at /);
  }
  return response.status;
}

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
);

const nested = (depth: number): unknown => {
  let value: unknown = {};
  for (let level = 1; level < depth; level += 1)
    value = level % 2 === 0 ? { next: value } : [value];
  return { wrapper: value };
};

describe('fuzzing the HTTP API (fast-check)', function () {
  this.timeout(120_000);
  let app: RunningService;
  let generate: string;
  before(async () => {
    app = await runService({ MEMORY_STORE_MAX_EVENTS: '20000' });
    generate = `${app.url}/events/generate`;
  });
  after(async () => app.stop());

  it('answers any JSON value with 201 or a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        await expectClientErrorOrCreated(await postJson(generate, JSON.stringify(body)));
      }),
      parameters(),
    );
  });

  it('answers arbitrary bytes declared as JSON with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const response = await fetch(generate, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: bytes,
        });
        const status = await expectClientErrorOrCreated(response);
        // Bytes can happen to spell a valid event; otherwise it must be a client error.
        if (status === 201)
          expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).to.have.property('userId');
      }),
      parameters(),
    );
  });

  it('survives hostile keys anywhere, polluting no prototype', async () => {
    const hostileObject = fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(hostileObject, hostileObject, async (top, payload) => {
        const body = JSON.stringify({ userId: 'fuzz', eventType: 'LOGIN', ...top, payload });
        await expectClientErrorOrCreated(await postJson(generate, body));
        expect(Object.getOwnPropertyNames(Object.prototype)).to.not.include('polluted');
        expect(({} as Record<string, unknown>).constructor).to.equal(Object);
      }),
      parameters(),
    );
  });

  it('accepts payloads nested up to 32 levels and rejects deeper ones', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200 }), async (depth) => {
        const status = await expectClientErrorOrCreated(
          await postJson(generate, { userId: 'fuzz', eventType: 'LOGIN', payload: nested(depth) }),
        );
        expect(status).to.equal(depth + 1 <= 32 ? 201 : 400);
      }),
      parameters(),
    );
  });

  it('enforces the length bounds of userId and eventType exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 80 }),
        async (userLength, typeLength) => {
          const body = { userId: 'u'.repeat(userLength), eventType: 'E'.repeat(typeLength) };
          const status = await expectClientErrorOrCreated(await postJson(generate, body));
          const valid = userLength >= 1 && userLength <= 256 && typeLength >= 1 && typeLength <= 64;
          expect(status).to.equal(valid ? 201 : 400);
        },
      ),
      parameters(),
    );
  });

  it('refuses every content type but application/json with 415', async () => {
    const contentType = fc.oneof(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/jsonx',
        'json',
      ),
      fc
        .string({ maxLength: 40 })
        .filter(
          (text) => /^[\x20-\x7e]*$/.test(text) && !/^\s*application\/json\s*(;|$)/i.test(text),
        ),
    );
    await fc.assert(
      fc.asyncProperty(contentType, async (type) => {
        const response = await fetch(generate, {
          method: 'POST',
          headers: { 'Content-Type': type },
          body: '{"userId":"u","eventType":"LOGIN"}',
        });
        expect(await expectClientErrorOrCreated(response)).to.equal(415);
      }),
      parameters(),
    );
  });
});
