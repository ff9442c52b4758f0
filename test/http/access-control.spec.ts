import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { capturedLogger } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { expectProblem } from './problem-assertions';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const fingerprint = (key: string) => sha256(key).slice(0, 8);
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

const WRITE_KEY = 'write-key-of-sixteen-characters';
const READ_KEY = 'read-key-of-sixteen-characters';
// Configured only as their digests: the service never sees these texts until a client sends them.
const WRITE_KEY_BY_DIGEST = 'write-key-given-as-its-digest';
const READ_KEY_BY_DIGEST = 'read-key-given-as-its-digest';
const METRICS_TOKEN = 'metrics-token-of-sixteen-characters';
const SECRETS = [WRITE_KEY, READ_KEY, WRITE_KEY_BY_DIGEST, READ_KEY_BY_DIGEST, METRICS_TOKEN];
const REFUSED = 'access refused';

describe('access control: API_KEYS, READ_API_KEYS and METRICS_TOKEN', () => {
  const logs = capturedLogger();
  let app: RunningService;
  let eventId: string;
  const readPaths = () => [
    '/events/processed?limit=5',
    `/events/processed/${eventId}`,
    `/events/${eventId}/status`,
  ];
  const publish = (path: '/events/generate' | '/events/batch', headers: Record<string, string>) =>
    postJson(
      `${app.url}${path}`,
      path === '/events/generate' ? seedLoginBody() : { events: [seedLoginBody()] },
      headers,
    );

  before(async () => {
    app = await runService(
      {
        // Digests in upper case too: hex is hex.
        API_KEYS: `${WRITE_KEY}, sha256:${sha256(WRITE_KEY_BY_DIGEST).toUpperCase()}`,
        READ_API_KEYS: `sha256:${sha256(READ_KEY_BY_DIGEST)},${READ_KEY}`,
        METRICS_TOKEN,
      },
      undefined,
      logs.logger,
    );
    const published = await publish('/events/generate', bearer(WRITE_KEY));
    eventId = ((await published.json()) as { eventId: string }).eventId;
    await eventually('the event processed', async () =>
      (await fetch(`${app.url}/events/processed/${eventId}`, { headers: bearer(READ_KEY) }))
        .status === 200
        ? true
        : undefined,
    );
  });
  after(async () => app.stop());

  it('refuses every event route without a valid key: 401 with WWW-Authenticate: Bearer', async () => {
    const withoutValidKey = [
      {},
      bearer('a-made-up-key-of-sixteen-characters'),
      // Another scheme, or a key's digest sent as if it were the key, is no key.
      { Authorization: `Basic ${Buffer.from(`user:${WRITE_KEY}`).toString('base64')}` },
      bearer(`sha256:${sha256(WRITE_KEY_BY_DIGEST)}`),
    ];
    for (const headers of withoutValidKey) {
      const answers = [
        ...(await Promise.all(readPaths().map((path) => fetch(`${app.url}${path}`, { headers })))),
        await publish('/events/generate', headers),
        await publish('/events/batch', headers),
      ];
      for (const response of answers) {
        const problem = await expectProblem(response, 401);
        expect(problem.type, response.url).to.equal('/problems/unauthorized');
        expect(response.headers.get('www-authenticate')).to.equal('Bearer');
        expect(JSON.stringify(problem)).not.to.include('user123');
      }
    }
  });

  it('serves events to read keys and write keys, given as keys or as digests, on every route that serves them', async () => {
    for (const key of [READ_KEY, READ_KEY_BY_DIGEST, WRITE_KEY, WRITE_KEY_BY_DIGEST]) {
      for (const path of readPaths()) {
        const response = await fetch(`${app.url}${path}`, { headers: bearer(key) });
        expect(response.status, `${path} with ${key}`).to.equal(200);
        expect(await response.text()).to.include(eventId);
      }
    }
  });

  it('lets only write keys publish: a read key gets 403, and nothing is published', async () => {
    const refusedIds: string[] = [];
    for (const key of [READ_KEY, READ_KEY_BY_DIGEST]) {
      for (const path of ['/events/generate', '/events/batch'] as const) {
        const response = await publish(path, bearer(key));
        const problem = await expectProblem(response, 403);
        expect(problem.type).to.equal('/problems/forbidden');
        expect(response.headers.get('www-authenticate')).to.equal(
          'Bearer error="insufficient_scope"',
        );
        refusedIds.push(...((problem.eventIds as string[] | undefined) ?? []));
      }
    }
    expect(refusedIds, 'a refused request is refused before any id is made').to.deep.equal([]);

    const published: string[] = [];
    for (const key of [WRITE_KEY, WRITE_KEY_BY_DIGEST]) {
      const one = await publish('/events/generate', bearer(key));
      expect(one.status).to.equal(201);
      published.push(((await one.json()) as { eventId: string }).eventId);
      const many = await publish('/events/batch', bearer(key));
      expect(many.status).to.equal(201);
      published.push(...((await many.json()) as { eventIds: string[] }).eventIds);
    }
    // Events are processed in the order they were published: once these are, the refused
    // requests would have been too, had they published anything.
    await eventually('the published events processed', async () => {
      const statuses = await Promise.all(
        published.map(async (id) => {
          const response = await fetch(`${app.url}/events/${id}/status`, {
            headers: bearer(READ_KEY),
          });
          return ((await response.json()) as { status: string }).status;
        }),
      );
      return statuses.every((status) => status === 'processed') ? true : undefined;
    });
    const stored = (await (
      await fetch(`${app.url}/events/processed?limit=1000`, { headers: bearer(READ_KEY) })
    ).json()) as unknown[];
    expect(stored).to.have.length(1 + published.length);
  });

  it('keeps health and the OpenAPI document open, and /metrics behind METRICS_TOKEN alone', async () => {
    for (const path of ['/health/live', '/health/ready', '/health', '/openapi.json']) {
      expect((await fetch(`${app.url}${path}`)).status, path).to.equal(200);
    }
    const metrics = (headers: Record<string, string>) => fetch(`${app.url}/metrics`, { headers });
    const open = await metrics({});
    await expectProblem(open, 401);
    expect(open.headers.get('www-authenticate')).to.equal('Bearer');
    await expectProblem(await metrics(bearer(WRITE_KEY)), 401);
    const scraped = await metrics(bearer(METRICS_TOKEN));
    expect(scraped.status).to.equal(200);
    expect(await scraped.text()).to.include('events_published_total');
  });

  it('names the key of each request by its fingerprint in the log, and never logs a key', async () => {
    // Its own requests, so that it holds whichever tests ran before it.
    for (const key of [READ_KEY, READ_KEY_BY_DIGEST, WRITE_KEY, WRITE_KEY_BY_DIGEST])
      expect(
        (await fetch(`${app.url}/events/processed?limit=1`, { headers: bearer(key) })).status,
      ).to.equal(200);
    expect((await publish('/events/generate', bearer(WRITE_KEY_BY_DIGEST))).status).to.equal(201);
    expect((await publish('/events/generate', bearer(READ_KEY))).status).to.equal(403);
    expect((await fetch(`${app.url}/metrics`, { headers: bearer(METRICS_TOKEN) })).status).to.equal(
      200,
    );
    expect((await fetch(`${app.url}/health/live`, { headers: bearer(WRITE_KEY) })).status).to.equal(
      200,
    );

    const requests = logs.lines().filter((line) => line.msg === 'request');
    const keyed = (key: string) => requests.filter((line) => line.key === fingerprint(key));
    for (const key of [READ_KEY, READ_KEY_BY_DIGEST, WRITE_KEY, WRITE_KEY_BY_DIGEST, METRICS_TOKEN])
      expect(keyed(key), key).not.to.deep.equal([]);
    expect(keyed(READ_KEY).every((line) => line.method === 'GET')).to.equal(true);
    // An open route needs no key, so none is named, even when one was sent.
    const health = requests.filter((line) => line.route === '/health/live');
    expect(health).not.to.deep.equal([]);
    expect(health.map((line) => line.key)).to.deep.equal(health.map(() => undefined));
    const everything = JSON.stringify(logs.lines());
    for (const secret of SECRETS) expect(everything).not.to.include(secret);
  });

  it('warns of each refused request with the client address, at most 20 lines a minute however many come', async () => {
    const own = capturedLogger();
    const flooded = await runService(
      { API_KEYS: WRITE_KEY, READ_API_KEYS: READ_KEY },
      undefined,
      own.logger,
    );
    try {
      await postJson(`${flooded.url}/events/generate`, seedLoginBody(), bearer(READ_KEY));
      for (let wave = 0; wave < 3; wave += 1) {
        await Promise.all(
          Array.from({ length: 20 }, () => fetch(`${flooded.url}/events/processed`)),
        );
      }
    } finally {
      await flooded.stop();
    }
    const refusals = own.lines().filter((line) => line.msg === REFUSED);
    expect(refusals).to.have.length(20);
    expect(refusals[0]).to.include({
      reason: 'key not allowed here',
      method: 'POST',
      route: '/events/generate',
      key: fingerprint(READ_KEY),
    });
    for (const line of refusals) {
      expect(line.level, 'warn').to.equal(40);
      expect(line.clientAddress).to.match(/127\.0\.0\.1$/);
    }
    expect(refusals.slice(1).map((line) => line.reason)).to.deep.equal(
      Array.from({ length: 19 }, () => 'no key'),
    );
  });
});
