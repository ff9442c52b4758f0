import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { FaultyStore } from '../support/faulty-store';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { expectProblem } from './problem-assertions';

const nestedObject = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('hostile input', () => {
  let app: RunningService;
  // A large body limit, so that depth rather than size is what gets checked.
  before(async () => (app = await runService({ MAX_BODY_BYTES: '2097152' })));
  after(async () => app.stop());

  it('rejects a body nested 150,000 levels deep with 400, and keeps serving', async () => {
    const deepPayload = `{"userId":"u","eventType":"LOGIN","payload":${nestedObject(150_000)}}`;
    const problem = await expectProblem(
      await postJson(`${app.url}/events/generate`, deepPayload),
      400,
    );
    expect(problem.errors).to.deep.equal([
      { path: 'payload', message: 'must not nest deeper than 32 levels' },
    ]);
    const deepArray = '['.repeat(150_000) + ']'.repeat(150_000);
    await expectProblem(await postJson(`${app.url}/events/generate`, deepArray), 400);
    expect((await postJson(`${app.url}/events/generate`, seedLoginBody())).status).to.equal(201);
  });

  it('rejects __proto__ keys and leaves Object.prototype alone', async () => {
    const body = '{"userId":"u","eventType":"LOGIN","payload":{"__proto__":{"polluted":true}}}';
    await expectProblem(await postJson(`${app.url}/events/generate`, body), 400);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('stores constructor.prototype keys as plain data, polluting nothing', async () => {
    const payload = { constructor: { prototype: { polluted: true } } };
    const response = await postJson(`${app.url}/events/generate`, { ...seedLoginBody(), payload });
    expect(response.status).to.equal(201);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('bounds a gzip bomb by the body limit after decompression', async () => {
    const bomb = gzipSync(
      JSON.stringify({ ...seedLoginBody(), payload: { blob: 'a'.repeat(50 * 1024 * 1024) } }),
    );
    const response = await fetch(`${app.url}/events/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    await expectProblem(response, 413);
  });

  it('accepts a gzip body within the limit', async () => {
    const response = await fetch(`${app.url}/events/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(seedLoginBody())),
    });
    expect(response.status).to.equal(201);
  });

  it('refuses an unknown content encoding with 415', async () => {
    const response = await fetch(`${app.url}/events/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' },
      body: JSON.stringify(seedLoginBody()),
    });
    await expectProblem(response, 415);
  });

  it('rejects lone surrogates and control characters in identifiers', async () => {
    for (const body of [
      '{"userId":"\\ud800","eventType":"LOGIN"}',
      '{"userId":"a\\u0007b","eventType":"LOGIN"}',
      '{"userId":"u","eventType":"LOG\\nIN"}',
    ]) {
      await expectProblem(await postJson(`${app.url}/events/generate`, body), 400);
    }
  });

  it('does not echo large client input in a problem', async () => {
    const secret = 'S'.repeat(10_000);
    const problem = await expectProblem(
      await postJson(`${app.url}/events/generate`, { userId: secret, eventType: 'LOGIN' }),
      400,
    );
    expect(JSON.stringify(problem)).to.not.include('SSSSSSSSSS');
  });
});

describe('an unexpected failure', () => {
  it('is answered with an opaque 500 problem, without stack trace or path', async () => {
    const app = await runService({}, (container) =>
      container.register(PROCESSED_EVENT_STORE, { useValue: new FaultyStore({ list: 'throws' }) }),
    );
    try {
      const problem = await expectProblem(await fetch(`${app.url}/events/processed`), 500);
      expect(JSON.stringify(problem)).to.not.match(/secret-path|\/work\/|\bat \w/);
    } finally {
      await app.stop();
    }
  });
});
