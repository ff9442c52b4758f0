import type { Machine } from '../bench/pipeline/results';
import type { DeadLetterCount } from './dead-letters';
import type { SettledLines } from './log-follower';
import type { MinuteRow } from './minute-stats';
import type { RestartDone } from './node-restarts';
import type { PlannedRestart, SoakSettings } from './settings';
import type { MemoryPoint } from './slope';
import type { StoredCount } from './stored-events';
import type { EventCounters } from '../bench/pipeline/service-metrics';

/** The closed-loop load that found the highest sustained rate of single POSTs. */
export interface Calibration {
  readonly generator: string;
  readonly connections: number;
  readonly seconds: number;
  readonly acceptedPerSecond: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** From the end of the load until the group had committed all it accepted. */
  readonly lagZeroAfterSeconds: number;
}

/** Everything one soak run measured, as the JSON keeps it. */
export interface SoakMeasured {
  readonly startedAt: string;
  readonly commit: string;
  readonly machine: Machine;
  readonly settings: SoakSettings;
  readonly topic: string;
  /** Absent when --rate set the rate. */
  readonly calibration?: Calibration;
  /** Requests per second of the soak. */
  readonly targetRate: number;
  readonly soakSeconds: number;
  readonly events: {
    readonly sent: number;
    readonly acknowledged: number;
    /** Ids in 201 answers that the soak had not sent. */
    readonly unknownAcknowledged: number;
    readonly stored: StoredCount;
    /** The service's log lines and its own counters (GET /metrics) at the end. */
    readonly lines: SettledLines;
    readonly counters: EventCounters;
  };
  readonly poisons: { readonly sent: number; readonly deadLetters: DeadLetterCount };
  readonly memory: {
    readonly rss: MemoryPoint[];
    readonly liveHeap: MemoryPoint[];
    /** How long each of the probe's forced collections held the service, ms. */
    readonly probeGcPausesMs: number[];
  };
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number };
  readonly restarts: { readonly planned: PlannedRestart[]; readonly done: RestartDone[] };
  readonly minutes: MinuteRow[];
  /** Unanswered requests by cause (a socket error's code, or `timeout`). */
  readonly unansweredBy: Readonly<Record<string, number>>;
  /** Whether the group's lag reached 0 after the load, within the drain's deadline. */
  readonly lagZeroAtEnd: boolean;
  /** The service's exit code after SIGTERM at the end. */
  readonly serviceExit: number | string;
}

/** A memory series in short: first, last and largest reading, and the fitted slope. */
export interface MemorySummary {
  readonly startMb: number;
  readonly endMb: number;
  readonly maxMb: number;
  readonly slopeMbPerHour: number;
}

export interface SoakSummary {
  readonly rss: MemorySummary;
  readonly liveHeap: MemorySummary;
  /** The probe's forced collections: median and longest pause, ms. */
  readonly probeGc: { readonly medianMs: number; readonly maxMs: number };
  /** Samples from this many seconds on are fitted. */
  readonly fitFromSeconds: number;
  readonly worstMinute: { readonly minute: number; readonly p99Ms: number };
  readonly lagMax: number;
  readonly totals: {
    readonly requests: number;
    readonly unavailable: number;
    readonly otherAnswers: number;
    readonly unanswered: number;
    readonly skipped: number;
  };
  /** Rows stored twice (count(*) − count(DISTINCT)) plus events logged processed twice. */
  readonly duplicated: number;
  /** Why the run failed; empty when it passed. */
  readonly failures: string[];
}

export interface SoakResults extends SoakMeasured {
  readonly finishedAt: string;
  readonly summary: SoakSummary;
}
