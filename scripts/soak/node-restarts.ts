import { setTimeout as sleep } from 'node:timers/promises';
import type { Broker } from '../bench/pipeline/broker';
import { progress } from '../bench/pipeline/context';
import { rounded } from '../bench/pipeline/stats';
import type { PlannedRestart } from './settings';

/** One node restart as it happened, in seconds since the soak started. */
export interface RestartDone {
  readonly node: number;
  readonly stoppingAtSeconds: number;
  /** When stop-node returned (the node gone) and when start-node returned (serving again). */
  readonly stoppedAtSeconds: number;
  readonly startedAtSeconds: number;
}

/**
 * Restarts the planned nodes at their times (`stop-node`, then `start-node` at once), one after
 * the other, until the plan is done or `stopping()` says the soak ended.
 */
export async function runRestarts(
  plan: readonly PlannedRestart[],
  broker: Pick<Broker, 'stopNode' | 'startNode'>,
  startedAt: number,
  stopping: () => boolean,
): Promise<RestartDone[]> {
  const done: RestartDone[] = [];
  const since = (): number => rounded((Date.now() - startedAt) / 1000, 1);
  for (const { atSeconds, node } of plan) {
    while (!stopping() && since() < atSeconds)
      await sleep(Math.min(1000, (atSeconds - since()) * 1000));
    if (stopping()) break;
    progress(`restarting broker node ${node}`);
    const stoppingAtSeconds = since();
    await broker.stopNode(node);
    const stoppedAtSeconds = since();
    await broker.startNode(node);
    done.push({ node, stoppingAtSeconds, stoppedAtSeconds, startedAtSeconds: since() });
    progress(`broker node ${node} serves again`);
  }
  return done;
}
