import type { Machine } from '../bench/pipeline/results';
import { rounded } from '../bench/pipeline/stats';
import type { FinalCount } from './final-count';
import type { SoakSettings } from './settings';
import type { Calibration, SoakMeasured } from './soak-results';
import type { SoakRun } from './soak-run';

/** What one run's phases found, put together as the JSON keeps it. */
export interface Phases {
  readonly started: Date;
  readonly commit: string;
  readonly machine: Machine;
  readonly settings: SoakSettings;
  readonly topic: string;
  readonly calibration: Calibration | undefined;
  readonly rate: number;
  readonly run: SoakRun;
  readonly end: FinalCount;
}

export function soakMeasured(phases: Phases): SoakMeasured {
  const { run, end, calibration } = phases;
  return {
    startedAt: phases.started.toISOString(),
    commit: phases.commit,
    machine: phases.machine,
    settings: phases.settings,
    topic: phases.topic,
    ...(calibration === undefined ? {} : { calibration }),
    targetRate: phases.rate,
    soakSeconds: rounded(run.soakMs / 1000, 1),
    events: {
      sent: run.ledger.sent,
      acknowledged: run.ledger.acknowledgedCount,
      unknownAcknowledged: run.ledger.unknownAcknowledged,
      stored: end.stored,
      lines: end.lines,
      counters: end.counters,
    },
    poisons: { sent: run.poisonsSent, deadLetters: end.deadLetters },
    memory: { rss: run.rss, liveHeap: end.probe.liveHeap, probeGcPausesMs: end.probe.gcPausesMs },
    latency: run.minutes.overall(),
    restarts: { planned: run.planned, done: run.restarts },
    minutes: run.minutes.rows(run.soakMs),
    unansweredBy: run.minutes.unansweredBy(),
    lagZeroAtEnd: end.lagZero,
    serviceExit: end.serviceExit,
  };
}
