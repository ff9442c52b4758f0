import { expect } from 'chai';
import { request } from 'node:http';
import type { DependencyContainer } from 'tsyringe';
import { CLOCK } from '../../src/application/clock.port';
import { postJson, runService, type RunningService } from '../support/running-service';
import { seedLoginBody } from '../support/builders';
import { expectProblem } from './problem-assertions';

const KEY_A = 'key-a-of-sixteen-characters';
const KEY_B = 'key-b-of-sixteen-characters';

/** A clock the test moves; it starts 15 s into a minute. */
class TestClock {
  at = Date.parse('2026-11-29T12:00:15.000Z');
  now = () => new Date(this.at);
}

const withClock = (clock: TestClock) => (container: DependencyContainer) =>
  container.register(CLOCK, { useValue: clock });

const post = (app: RunningService, key?: string) =>
  postJson(
    `${app.url}/events/generate`,
    seedLoginBody(),
    key === undefined ? {} : { Authorization: `Bearer ${key}` },
  );

/** POST /events/generate from another loopback address than fetch's 127.0.0.1. */
function postFrom(app: RunningService, localAddress: string): Promise<number> {
  const body = JSON.stringify(seedLoginBody());
  return new Promise((resolve, reject) => {
    const sent = request(
      `${app.url}/events/generate`,
      { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

describe('RATE_LIMIT_PER_MINUTE', () => {
  const running: RunningService[] = [];
  const start = async (variables: Record<string, string>, clock: TestClock) => {
    const app = await runService(variables, withClock(clock));
    running.push(app);
    return app;
  };
  afterEach(async () => Promise.all(running.splice(0).map((app) => app.stop())));

  it('answers the request beyond the limit 429 with Retry-After, and says what is left on each answer', async () => {
    const clock = new TestClock();
    const app = await start({ RATE_LIMIT_PER_MINUTE: '3' }, clock);
    const answers = [await post(app), await post(app), await post(app)];
    expect(answers.map((response) => response.status)).to.deep.equal([201, 201, 201]);
    expect(answers.map((response) => response.headers.get('ratelimit'))).to.deep.equal([
      '"per-minute";r=2;t=45',
      '"per-minute";r=1;t=45',
      '"per-minute";r=0;t=45',
    ]);
    expect(answers[0]!.headers.get('ratelimit-policy')).to.equal('"per-minute";q=3;w=60');

    clock.at += 5000;
    const refused = await post(app);
    const problem = await expectProblem(refused, 429);
    expect(problem.type).to.equal('/problems/rate-limited');
    expect(refused.headers.get('retry-after')).to.equal('40');
    expect((await fetch(`${app.url}/events/processed`)).status, 'every /events route').to.equal(
      429,
    );
    const health = await fetch(`${app.url}/health/live`);
    expect(health.status, 'probes are never limited').to.equal(200);
    expect(health.headers.get('ratelimit')).to.equal(null);
    expect((await fetch(`${app.url}/metrics`)).status).to.equal(200);

    clock.at += 40_000;
    const nextMinute = await post(app);
    expect(nextMinute.status).to.equal(201);
    expect(nextMinute.headers.get('ratelimit')).to.equal('"per-minute";r=2;t=60');
  });

  it('counts each valid API key apart, and invalid keys against the address', async () => {
    const app = await start(
      { RATE_LIMIT_PER_MINUTE: '2', API_KEYS: `${KEY_A},${KEY_B}` },
      new TestClock(),
    );
    expect([(await post(app, KEY_A)).status, (await post(app, KEY_A)).status]).to.deep.equal([
      201, 201,
    ]);
    expect((await post(app, KEY_A)).status).to.equal(429);
    expect((await post(app, KEY_B)).status, 'another key, another count').to.equal(201);

    const madeUp = ['made-up-key-number-1', 'made-up-key-number-2', 'made-up-key-number-3'];
    const statuses = [];
    for (const key of madeUp) statuses.push((await post(app, key)).status);
    expect(statuses, "made-up keys share their address's count").to.deep.equal([401, 401, 429]);
  });

  it('counts each client address apart when no keys are set', async () => {
    const app = await start({ RATE_LIMIT_PER_MINUTE: '1' }, new TestClock());
    expect(await postFrom(app, '127.0.0.1')).to.equal(201);
    expect(await postFrom(app, '127.0.0.1')).to.equal(429);
    expect(await postFrom(app, '127.0.0.2'), 'another address').to.equal(201);
  });
});
