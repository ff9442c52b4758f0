import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { collect, exitOf, spawnService } from '../support/service-process';
import { EventLoad } from '../support/event-load';
import { eventually } from '../support/eventually';
import { kafkaBrokers } from '../support/kafka-broker';
import { unique } from '../support/unique';
import {
  eventOutcomes,
  logLines,
  processedTwice,
  timesProcessed,
  type EventOutcome,
} from '../support/event-outcomes';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly outcomes: () => EventOutcome[];
}

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function startProcess(variables: Record<string, string>): Promise<Started> {
  const child = spawnService(variables);
  const stdout = collect(child.stdout);
  const port = await eventually(
    'the service to listen',
    () => logLines(stdout()).find((line) => line.msg === 'listening')?.port as number | undefined,
    60_000,
  );
  return { child, url: `http://127.0.0.1:${port}`, outcomes: () => eventOutcomes(stdout()) };
}

describe('graceful shutdown under load', function () {
  this.timeout(180_000);

  it('exits 0 within the deadline on SIGTERM, and a restart processes every acknowledged event once', async () => {
    const variables = {
      PORT: '0',
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: (await kafkaBrokers()).join(','),
      KAFKA_TOPIC: unique('shutdown'),
      KAFKA_CLIENT_ID: unique('svc'),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };
    const first = await startProcess(variables);
    const load = new EventLoad(first.url, { requests: 600, concurrency: 8, invalidEvery: 10 });
    const finished = load.run();
    await eventually('200 answers', () => (load.sent.length >= 200 ? true : undefined), 60_000);
    const exited = exitOf(first.child);
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(Date.now() - signalled).to.be.below(SHUTDOWN_TIMEOUT_MS);
    const sent = await finished;

    const second = await startProcess(variables);
    try {
      const created = sent.filter((event) => event.status === 201).map((event) => event.eventId);
      const times = await eventually(
        'every acknowledged event processed across the restart',
        () => {
          const all = timesProcessed([...first.outcomes(), ...second.outcomes()]);
          return created.every((id) => all.has(id)) ? all : undefined;
        },
        60_000,
        250,
      );
      expect(processedTwice(times), 'events processed twice across the restart').to.deep.equal([]);
      const before = timesProcessed(first.outcomes()).size;
      console.log(
        `      SIGTERM under load: sent ${sent.length}, 201 ${created.length}, processed before ${before}, after restart ${times.size - before}`,
      );
    } finally {
      const stopped = exitOf(second.child);
      second.child.kill('SIGTERM');
      await stopped;
    }
  });
});
