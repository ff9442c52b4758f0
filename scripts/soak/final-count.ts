import { progress } from '../bench/pipeline/context';
import { eventCounters, type EventCounters } from '../bench/pipeline/service-metrics';
import { countDeadLetters, type DeadLetterCount } from './dead-letters';
import type { SettledLines } from './log-follower';
import { probeLines, type ProbeLines } from './probe-lines';
import type { SoakContext } from './soak-context';
import type { SoakRun } from './soak-run';
import { countStored, type StoredCount } from './stored-events';

/** What the end found, once every acknowledged event was stored or the deadline passed. */
export interface FinalCount {
  readonly lagZero: boolean;
  readonly stored: StoredCount;
  readonly deadLetters: DeadLetterCount;
  readonly counters: EventCounters;
  readonly lines: SettledLines;
  readonly probe: ProbeLines;
  readonly serviceExit: number | string;
}

const DLQ_READ_MS = 120_000;

/**
 * Waits (up to the drain's minutes in all) for the group's lag to be 0 and every acknowledged
 * event to be stored; counts the store, the DLQ and the service's counters; stops the service
 * and reads the rest of its log.
 */
export async function finalCount(context: SoakContext, run: SoakRun): Promise<FinalCount> {
  const { settings, lag, service, databaseUrl, broker, topic } = context;
  const deadline = Date.now() + settings.drainMinutes * 60_000;
  progress('waiting for the group to commit every record');
  const lagZero = await lag.untilZero(deadline - Date.now()).then(
    () => true,
    () => false,
  );
  progress('counting the stored events');
  const stored = await countStored(databaseUrl, run.ids, run.ledger, deadline);
  progress('reading the DLQ');
  const deadLetters = await countDeadLetters(
    broker.brokers,
    `${topic}.dlq`,
    run.ids.tag,
    DLQ_READ_MS,
  );
  const counters = await eventCounters(service.url);
  progress('stopping the service');
  await service.stop();
  const serviceExit = await service.exited;
  return {
    lagZero,
    stored,
    deadLetters,
    counters,
    lines: await run.follower.follow(),
    probe: probeLines(context.probeFile, run.startedAt, run.startedAt + run.soakMs),
    serviceExit,
  };
}
