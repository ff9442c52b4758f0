import { count, decimal, latencies, med, micros, statuses, table } from './markdown-format';
import type { BenchResults } from './results';

/** SERVICE_ROLE: the all-in-one process against an api beside a worker, same loads. */
export function rolesSection(results: BenchResults): string[] {
  const rows = results.roles.flatMap((point) => {
    const leg =
      point.path === '/events/generate'
        ? `POST /events/generate, ${point.connections} connections`
        : `POST /events/batch of ${point.eventsPerRequest}, ${point.connections} connections`;
    const allInOne = med(point.allInOne, (run) => run.eventsPerSecond);
    const split = med(point.split, (run) => run.eventsPerSecond);
    const api = med(point.split, (run) => run.cpuMicrosecondsPerEvent.server);
    const worker = med(point.split, (run) => run.cpuMicrosecondsPerEvent.worker ?? NaN);
    return [
      [
        `${leg}: all in one`,
        count(allInOne),
        '1.00',
        latencies(point.allInOne),
        statuses(point.allInOne),
        decimal(
          med(point.allInOne, (run) => (run.lagZeroAfterMs ?? NaN) / 1000),
          2,
        ),
        micros(med(point.allInOne, (run) => run.cpuMicrosecondsPerEvent.server)),
      ],
      [
        `${leg}: api + worker`,
        count(split),
        decimal(split / allInOne, 2),
        latencies(point.split),
        statuses(point.split),
        decimal(
          med(point.split, (run) => (run.lagZeroAfterMs ?? NaN) / 1000),
          2,
        ),
        `${micros(api + worker)} (api ${micros(api)}, worker ${micros(worker)})`,
      ],
    ];
  });
  return [
    '## SERVICE_ROLE: api and worker as two processes against all in one (STORE=postgres)',
    table(
      [
        'Leg',
        'Events/s',
        '× all in one',
        'p50 / p99 / max ms',
        'Responses (all runs)',
        'Lag 0 after load, s',
        'CPU µs/event',
      ],
      rows,
    ),
    'Each deployment on a topic and group of its own, on the same broker and database; both ' +
      'take the load in turn. CPU per event from the start of the load until the lag was 0.',
  ];
}
