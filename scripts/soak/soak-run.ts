import { whileAlive } from '../bench/pipeline/bench-process';
import { progress } from '../bench/pipeline/context';
import { EventLedger } from './event-ledger';
import { HttpClient } from './http-client';
import { LagSamples } from './lag-samples';
import { LogFollower } from './log-follower';
import { RssSamples } from './memory-samples';
import { MinuteStats } from './minute-stats';
import { runRestarts, type RestartDone } from './node-restarts';
import { PacedLoad } from './paced-load';
import { PoisonWriter } from './poison-writer';
import { restartSchedule, type PlannedRestart } from './settings';
import type { SoakContext } from './soak-context';
import { SoakIds } from './soak-ids';
import { SoakTraffic } from './soak-traffic';
import type { MemoryPoint } from './slope';

/** What the soak's load left to count at the end. */
export interface SoakRun {
  readonly ids: SoakIds;
  readonly ledger: EventLedger;
  readonly minutes: MinuteStats;
  readonly follower: LogFollower;
  readonly poisonsSent: number;
  readonly rss: MemoryPoint[];
  readonly planned: PlannedRestart[];
  readonly restarts: RestartDone[];
  /** Date.now() at the start, and how long the load ran. */
  readonly startedAt: number;
  readonly soakMs: number;
}

/** How long the end waits for the requests still in flight. */
const DRAIN_MS = 30_000;
const FOLLOW_LOG_EVERY_MS = 10_000;

/**
 * The soak itself: the paced mix at `rate` requests/s for the run's minutes, a poison per 100
 * events, the planned node restarts, memory and lag sampled meanwhile.
 */
export async function runSoak(context: SoakContext, rate: number): Promise<SoakRun> {
  const { settings, service, broker } = context;
  const parts = await loadParts(context, rate);
  const planned = restartSchedule(
    settings.minutes,
    settings.restartEveryMinutes,
    broker.pids.length,
  );
  const times = planned.map((one) => `${one.atSeconds} s`).join(', ');
  progress(`soak: ${rate} requests/s for ${settings.minutes} min, restarts at ${times}`);
  const startedAt = Date.now();
  const watch = startWatching(context, parts, startedAt);
  let ended = false;
  const restarts = runRestarts(planned, broker, startedAt, () => ended);
  let soakMs: number;
  try {
    soakMs = await whileAlive(service, parts.load.run(settings.minutes * 60_000, DRAIN_MS));
  } finally {
    ended = true;
    watch.stop();
    parts.stopLoad();
  }
  progress('soak load ended; waiting for a restart under way and the last poisons');
  const done = await restarts;
  await parts.closePoisons();
  const { ids, ledger, minutes, follower, poisons } = parts;
  return {
    ...{ ids, ledger, minutes, follower, planned, startedAt, soakMs },
    poisonsSent: poisons.sent,
    rss: watch.rss.points,
    restarts: done,
  };
}

/** The load and what counts its answers, each stopped by the cleanup should the run end early. */
async function loadParts({ settings, service, broker, topic, cleanup }: SoakContext, rate: number) {
  const ids = new SoakIds();
  const ledger = new EventLedger();
  const minutes = new MinuteStats();
  const { poisonEvery, users, inFlightCap } = settings;
  const poisons = new PoisonWriter(broker.brokers, topic, ids.tag, poisonEvery, users);
  await poisons.connect();
  const forgetPoisons = cleanup.add('disconnect the poison writer', () => poisons.close());
  const client = new HttpClient(service.url, inFlightCap);
  const traffic = new SoakTraffic({ client, ids, ledger, minutes, poisons }, settings);
  const send = (n: number, at: number): Promise<void> => traffic.send(n, at);
  const load = new PacedLoad(rate, inFlightCap, send, (at) => minutes.skipped(at));
  const forgetLoad = cleanup.add('stop the soak load', async () => load.stop());
  return {
    ...{ ids, ledger, minutes, poisons, load },
    follower: new LogFollower(service.logPath, ids),
    stopLoad: (): void => {
      client.close();
      forgetLoad();
    },
    closePoisons: async (): Promise<void> => {
      await poisons.close();
      forgetPoisons();
    },
  };
}

/** RSS every 10 s, the lag every 5 s, the service's log as it grows: until stopped. */
function startWatching(
  { settings, service, lag }: SoakContext,
  { minutes, follower }: Awaited<ReturnType<typeof loadParts>>,
  startedAt: number,
) {
  const rss = new RssSamples(service.pid, startedAt, settings.memoryEverySeconds);
  const lagSamples = new LagSamples(lag, minutes, startedAt, settings.lagEverySeconds);
  const follow = (): void => void follower.follow().catch(() => undefined);
  const following = setInterval(follow, FOLLOW_LOG_EVERY_MS);
  return {
    rss,
    stop: (): void => {
      rss.stop();
      lagSamples.stop();
      clearInterval(following);
    },
  };
}
