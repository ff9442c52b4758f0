import { expect } from 'chai';
import * as TE from 'fp-ts/TaskEither';
import type Router from '@koa/router';
import type { DependencyContainer } from 'tsyringe';
import { EVENT_PUBLISHER } from '../../src/application/event-publisher.port';
import { CLOCK } from '../../src/application/clock.port';
import { DEAD_LETTERS } from '../../src/application/dead-letters.port';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { runService, type RunningService } from '../support/running-service';
import { OpenApiContract } from '../support/openapi-contract';
import { eventually } from '../support/eventually';
import { seedLoginBody } from '../support/builders';
import { FaultyStore } from '../support/faulty-store';

const API_KEY = 'a-key-of-sixteen-characters';
const READ_KEY = 'a-read-key-of-sixteen-characters';
const METRICS_TOKEN = 'a-metrics-token-of-sixteen-characters';
const bug = () => {
  throw new Error('a bug');
};

const brokerDown = (container: DependencyContainer) => {
  const down = TE.left({ _tag: 'DeadLettersUnavailable', detail: 'refused' } as const);
  container.register(DEAD_LETTERS, { useValue: { list: () => down, replay: () => down } });
  container.register(EVENT_PUBLISHER, {
    useValue: { publish: () => TE.left({ _tag: 'BrokerUnavailable', detail: 'refused' }) },
  });
  container.register(PROCESSED_EVENT_STORE, {
    useValue: new FaultyStore({
      list: 'unavailable',
      findById: 'unavailable',
      followingEnd: 'unavailable',
      ping: 'unavailable',
    }),
  });
};
const buggy = (container: DependencyContainer) => {
  container.register(DEAD_LETTERS, { useValue: { list: bug, replay: bug } });
  container.register(EVENT_PUBLISHER, { useValue: { publish: bug } });
  container.register(PROCESSED_EVENT_STORE, {
    useValue: new FaultyStore({ list: 'throws', findById: 'throws', followingEnd: 'throws' }),
  });
};

// Mid-minute, so that the limited app's requests all fall in one rate-limit window.
const MID_MINUTE = new Date('2026-11-29T12:00:30.000Z');
const limitedToOneAMinute = (container: DependencyContainer) =>
  container.register(CLOCK, { useValue: { now: () => MID_MINUTE } });
// A queue with one letter, 0:1, as a Kafka DLQ would list it.
const oneLetter = (container: DependencyContainer) => {
  const letter = { id: '0:1', eventId: unknownId, key: 'user123', reason: 'malformed', value: '{' };
  container.register(DEAD_LETTERS, {
    useValue: {
      list: () => TE.right({ letters: [letter], complete: true }),
      replay: (ids: string[]) => TE.right({ replayed: ids }),
    },
  });
};

interface Case {
  readonly app: 'normal' | 'keyed' | 'down' | 'buggy' | 'limited';
  readonly method: 'GET' | 'POST';
  readonly route: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

const json = { 'Content-Type': 'application/json' };
const one = JSON.stringify(seedLoginBody());
const batch = JSON.stringify({ events: [seedLoginBody(), seedLoginBody('user456')] });
const unknownId = '6f1c2e4a-9b3d-4c1e-8f2a-1b2c3d4e5f60';
// Used once in `before` with `one` and `batch`, then in a case with other content: 422.
const REUSED_KEY = 'openapi-document-reused-key';
const otherContent = (body: ReturnType<typeof seedLoginBody>) => ({
  ...body,
  payload: { ip: '10.6.6.6' },
});
const reusedKey = { ...json, 'Idempotency-Key': REUSED_KEY };

function cases(processedId: string): Case[] {
  const posts = (route: string, body: string): Case[] => [
    { app: 'normal', method: 'POST', route, path: route, body, headers: json },
    { app: 'normal', method: 'POST', route, path: route, body: '{"userId":""}', headers: json },
    { app: 'normal', method: 'POST', route, path: route, body: 'x'.repeat(70_000), headers: json },
    {
      app: 'normal',
      method: 'POST',
      route,
      path: route,
      body,
      headers: { 'Content-Type': 'text/plain' },
    },
    { app: 'keyed', method: 'POST', route, path: route, body, headers: json },
    {
      app: 'keyed',
      method: 'POST',
      route,
      path: route,
      body,
      headers: { ...json, Authorization: `Bearer ${READ_KEY}` },
    },
    { app: 'down', method: 'POST', route, path: route, body, headers: json },
    { app: 'buggy', method: 'POST', route, path: route, body, headers: json },
  ];
  const limited = (route: string, body: string): Case => ({
    app: 'limited',
    method: 'POST',
    route,
    path: route,
    body,
    headers: json,
  });
  const gets = (route: string, path: string, apps: Case['app'][]): Case[] =>
    apps.map((app) => ({ app, method: 'GET', route, path }));
  const receipt = '/events/processed/{eventId}';
  const replay = '/dead-letters/replay';
  const replays = (ids: string[], apps: Case['app'][]): Case[] =>
    apps.map((app) => ({
      app,
      method: 'POST',
      route: replay,
      path: replay,
      body: JSON.stringify({ ids }),
      headers: json,
    }));
  const status = '/events/{eventId}/status';
  return [
    ...posts('/events/generate', one),
    ...posts('/events/batch', batch),
    {
      app: 'normal',
      method: 'POST',
      route: '/events/generate',
      path: '/events/generate',
      body: JSON.stringify(otherContent(seedLoginBody())),
      headers: reusedKey,
    },
    {
      app: 'normal',
      method: 'POST',
      route: '/events/batch',
      path: '/events/batch',
      body: JSON.stringify({ events: [otherContent(seedLoginBody()), seedLoginBody('user456')] }),
      headers: reusedKey,
    },
    ...gets('/events/processed', '/events/processed?limit=1', ['normal', 'keyed', 'down', 'buggy']),
    ...gets('/events/processed', '/events/processed?limit=0', ['normal']),
    ...gets(receipt, `/events/processed/${processedId}`, ['normal', 'keyed', 'down', 'buggy']),
    ...gets(receipt, `/events/processed/${unknownId}`, ['normal']),
    ...gets(receipt, '/events/processed/not-an-id', ['normal']),
    ...gets(status, `/events/${processedId}/status`, ['normal', 'keyed', 'down', 'buggy']),
    ...gets(status, `/events/${unknownId}/status`, ['normal']),
    ...gets(status, '/events/not-an-id/status', ['normal']),
    // One request a minute: the first is answered, every one after it is 429.
    limited('/events/generate', one),
    limited('/events/generate', one),
    limited('/events/batch', batch),
    ...gets('/events/processed', '/events/processed?limit=1', ['limited']),
    ...gets(receipt, `/events/processed/${processedId}`, ['limited']),
    ...gets(status, `/events/${processedId}/status`, ['limited']),
    ...gets('/events/stream', '/events/stream', ['normal', 'keyed', 'down', 'buggy', 'limited']),
    ...gets('/events/stream', '/events/stream?cursor=not-a-cursor', ['normal']),
    ...gets('/health/live', '/health/live', ['normal', 'limited']),
    ...gets('/health/ready', '/health/ready', ['normal', 'down']),
    ...gets('/health', '/health', ['normal', 'down']),
    ...gets('/metrics', '/metrics', ['normal', 'keyed']),
    ...gets('/openapi.json', '/openapi.json', ['normal']),
    ...gets('/dead-letters', '/dead-letters', ['normal', 'keyed', 'down', 'buggy', 'limited']),
    ...gets('/dead-letters', '/dead-letters?limit=0', ['normal']),
    ...replays(['0:1'], ['normal', 'keyed', 'down', 'buggy', 'limited']),
    ...replays(['not-an-id'], ['normal']),
    { app: 'normal', method: 'POST', route: replay, path: replay, body: one, headers: {} },
    {
      app: 'normal',
      method: 'POST',
      route: replay,
      path: replay,
      body: JSON.stringify({ ids: ['1'.repeat(70_000)] }),
      headers: json,
    },
    {
      app: 'keyed',
      method: 'POST',
      route: replay,
      path: replay,
      body: JSON.stringify({ ids: ['0:1'] }),
      headers: { ...json, Authorization: `Bearer ${READ_KEY}` },
    },
    ...gets('/console', '/console', ['normal', 'keyed']),
    ...gets('/console/{file}', '/console/console.js', ['normal']),
    ...gets('/console/{file}', '/console/console.css', ['normal']),
    ...gets('/console/{file}', '/console/favicon.svg', ['normal']),
    ...gets('/console/{file}', '/console/no-such-file.js', ['normal']),
    ...gets('/console/vendor/{file}', '/console/vendor/uplot.js', ['normal']),
    ...gets('/console/vendor/{file}', '/console/vendor/uplot.css', ['normal']),
    ...gets('/console/vendor/{file}', '/console/vendor/no-such-file.js', ['normal']),
  ];
}

describe('the OpenAPI document (docs/openapi.yaml)', () => {
  const contract = new OpenApiContract();
  const apps = {} as Record<Case['app'], RunningService>;
  let processedId: string;
  before(async () => {
    apps.normal = await runService();
    apps.keyed = await runService({ API_KEYS: API_KEY, READ_API_KEYS: READ_KEY, METRICS_TOKEN });
    apps.down = await runService({}, brokerDown);
    apps.buggy = await runService({}, buggy);
    apps.limited = await runService({ RATE_LIMIT_PER_MINUTE: '1' }, (container) => {
      limitedToOneAMinute(container);
      oneLetter(container);
    });
    const response = await fetch(`${apps.normal.url}/events/generate`, {
      method: 'POST',
      headers: json,
      body: one,
    });
    processedId = ((await response.json()) as { eventId: string }).eventId;
    await fetch(`${apps.normal.url}/events/generate`, { method: 'POST', headers: json, body: one });
    const keyed = await Promise.all(
      [one, batch].map(async (body, n) => {
        const path = n === 0 ? '/events/generate' : '/events/batch';
        const first = await fetch(`${apps.normal.url}${path}`, {
          method: 'POST',
          headers: reusedKey,
          body,
        });
        const answer = (await first.json()) as { eventId?: string; eventIds?: string[] };
        return answer.eventIds ?? [answer.eventId!];
      }),
    );
    for (const eventId of [processedId, ...keyed.flat()]) {
      await eventually(
        'the events processed',
        async () =>
          (await fetch(`${apps.normal.url}/events/processed/${eventId}`)).status === 200 ||
          undefined,
      );
    }
  });
  after(async () => Promise.all(Object.values(apps).map((app) => app.stop())));

  it('describes every response the app gives, and every documented response is given', async () => {
    const wrong: string[] = [];
    for (const { app, method, route, path, body, headers } of cases(processedId)) {
      const stop = new AbortController();
      const response = await fetch(`${apps[app].url}${path}`, {
        method,
        headers,
        body,
        signal: stop.signal,
      });
      // A stream does not end by itself: its head is what is checked.
      const streaming = response.headers.get('content-type')?.startsWith('text/event-stream');
      const seen = {
        status: response.status,
        headers: response.headers,
        text: streaming === true ? '' : await response.text(),
      };
      if (streaming === true) stop.abort();
      for (const violation of contract.violations(method, route, seen))
        wrong.push(`${method} ${path} (${app}) ${seen.status}: ${violation}`);
    }
    expect(wrong).to.deep.equal([]);
    expect(contract.unexercised(), 'documented but never seen').to.deep.equal([]);
  });

  it('lists exactly the routes the app serves', () => {
    const router = (apps.normal.service.http.middleware as Array<{ router?: Router }>).find(
      (middleware) => middleware.router !== undefined,
    )!.router!;
    const served = router.stack.flatMap((layer) =>
      layer.methods
        .filter((method) => method !== 'HEAD')
        .map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = contract
      .operations()
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect([...served].sort()).to.deep.equal([...documented].sort());
  });

  it('is served as is at GET /openapi.json', async () => {
    const served: unknown = await (await fetch(`${apps.normal.url}/openapi.json`)).json();
    expect(served).to.deep.equal(contract.document);
  });
});
