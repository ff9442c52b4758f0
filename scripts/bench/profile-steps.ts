import { readFileSync } from 'node:fs';

/**
 * `npm run bench:profile-steps -- <file.cpuprofile> <events>`: where a process's CPU went, step by
 * step, in microseconds per event. A profile (`node --cpu-prof`) of a process that handled
 * `events` events; each sample goes to the step of the frame nearest its leaf that belongs to one
 * (a Buffer allocation made by kafkajs counts as kafkajs, io-ts called by a route as validation,
 * a write call made by the logger as logging). Idle time is left out; garbage collection is a step
 * of its own.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Steps by the frames that are theirs (`functionName url`); the first pattern a frame matches. */
const STEPS: ReadonlyArray<readonly [step: string, frame: RegExp]> = [
  ['garbage collection', /^\(garbage collector\) $/],
  ['log lines (pino, batched writes)', /node_modules\/(pino|sonic-boom)\/|batched-lines/],
  ['metrics (prom-client)', /node_modules\/prom-client\/|prometheus-metrics/],
  // Produce requests are encoded when the connection sends them: the encoders are produce's.
  [
    'kafkajs: produce (record encoding)',
    /kafkajs\/src\/(producer|protocol\/(requests\/produce|encoder|recordBatch\/(v0|record\/v0|header\/v0)\/index|recordBatch\/crc32C))/,
  ],
  ['kafkajs: fetch (record decoding), sockets, group, commits', /kafkajs\/src\//],
  ['record to event and back (JSON, headers)', /adapters\/kafka\/user-event-record/],
  ['processing and the store', /adapters\/(delivery|memory\/in-memory|postgres)|record-chunk/],
  [
    'body parsing (koa-bodyparser, JSON.parse)',
    /node_modules\/(koa-bodyparser|co-body|raw-body|@hapi\/bourne|type-is|media-typer)\//,
  ],
  ['validation (io-ts codecs)', /node_modules\/io-ts\/|src\/domain\/|decode-input/],
  [
    'publish use case (ids, timestamps, statuses)',
    /src\/application\/|adapters\/(memory|system)\/|kafka-event-publisher|coalesced-sends/,
  ],
  ["the service's HTTP middleware and routes", /src\/adapters\/http\//],
  ['response write to the socket (kernel)', /^writev /],
  [
    'Koa, router, compose',
    /node_modules\/(koa|@koa\/router|koa-compose|delegates|on-finished|statuses|vary|cache-content-type)\//,
  ],
  // Not node:net: kafkajs' sockets are net sockets too; their frames further up tell whose.
  ["Node's HTTP server (parsing, headers)", /node:_http/],
];
const OTHER = 'everything else (Node internals, fp-ts, microtasks)';

function main(): void {
  const [path, eventsText] = process.argv.slice(2);
  const events = Number(eventsText);
  if (path === undefined || !(events > 0)) {
    throw new Error('usage: profile-steps <file.cpuprofile> <events handled meanwhile>');
  }
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const perStep = microsecondsPerStep(profile);
  const busy = [...perStep.values()].reduce((sum, us) => sum + us, 0);
  const rows = [...perStep].sort(([, a], [, b]) => b - a);
  console.log(`| Step | µs per event | share |\n| --- | ---: | ---: |`);
  for (const [step, us] of rows) {
    console.log(`| ${step} | ${(us / events).toFixed(1)} | ${((100 * us) / busy).toFixed(0)} % |`);
  }
  console.log(`| **the main thread, busy** | **${(busy / events).toFixed(1)}** | 100 % |`);
}

/** Sampled time of each step, µs, idle left out. */
function microsecondsPerStep(profile: CpuProfile): Map<string, number> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const stepOf = new Map<number, string | undefined>();
  const classify = (id: number): string | undefined => {
    if (stepOf.has(id)) return stepOf.get(id);
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      if (functionName === '(idle)') return remember(id, undefined);
      const frame = `${functionName} ${url}`;
      const step = STEPS.find(([, pattern]) => pattern.test(frame));
      if (step !== undefined) return remember(id, step[0]);
    }
    return remember(id, OTHER);
  };
  const remember = (id: number, step: string | undefined) => (stepOf.set(id, step), step);
  const time = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const step = classify(id);
    if (step !== undefined)
      time.set(step, (time.get(step) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return time;
}

main();
