/** What one soak run does and for how long; only the length and the rate come from the command line. */
export interface SoakSettings {
  readonly minutes: number;
  /** Requests per second of the soak; undefined: half the calibrated rate. */
  readonly rate?: number;
  /** The closed-loop load that finds the highest sustained rate of single POSTs. */
  readonly calibration: {
    readonly warmUpSeconds: number;
    readonly seconds: number;
    readonly connections: number;
  };
  /** The mix: one request in `batchEvery` is a batch of `batchSize`, one in `readEvery` a read. */
  readonly batchEvery: number;
  readonly batchSize: number;
  readonly readEvery: number;
  /** One record the service cannot process written to its topic per `poisonEvery` events. */
  readonly poisonEvery: number;
  /** Requests in flight at most; a request due beyond it is skipped and counted. */
  readonly inFlightCap: number;
  /** Distinct userIds (the record key, so the partition). */
  readonly users: number;
  readonly restartEveryMinutes: number;
  readonly memoryEverySeconds: number;
  readonly lagEverySeconds: number;
  /** How long the end waits for every acknowledged event to be stored. */
  readonly drainMinutes: number;
}

export const DEFAULTS: SoakSettings = {
  minutes: 60,
  calibration: { warmUpSeconds: 5, seconds: 20, connections: 32 },
  batchEvery: 20,
  batchSize: 50,
  readEvery: 10,
  poisonEvery: 100,
  inFlightCap: 256,
  users: 10_000,
  restartEveryMinutes: 10,
  memoryEverySeconds: 10,
  lagEverySeconds: 5,
  drainMinutes: 5,
};

const USAGE = 'usage: npm run soak -- [--minutes N (default 60)] [--rate REQUESTS_PER_SECOND]';

/** `--minutes N` and `--rate R` (also as `--minutes=N`), positive numbers; anything else throws. */
export function soakSettingsFromArguments(args: readonly string[]): SoakSettings {
  let settings: SoakSettings = DEFAULTS;
  for (let i = 0; i < args.length; i += 1) {
    const [flag = '', inline] = (args[i] ?? '').split('=', 2);
    if (flag !== '--minutes' && flag !== '--rate')
      throw new Error(`unknown argument ${args[i]}\n${USAGE}`);
    const value = positive(flag, inline ?? args[(i += 1)]);
    settings =
      flag === '--minutes' ? { ...settings, minutes: value } : { ...settings, rate: value };
  }
  return settings;
}

function positive(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(number) || number <= 0)
    throw new Error(`${flag} needs a positive number, not ${value ?? 'nothing'}\n${USAGE}`);
  return number;
}

/** One broker node's restart, `atSeconds` into the soak. */
export interface PlannedRestart {
  readonly atSeconds: number;
  readonly node: number;
}

/**
 * A restart every `everyMinutes` before the end, nodes in turn (1, 2, 3, 1 …); a run too short
 * for one gets one at half-way, so the path is exercised.
 */
export function restartSchedule(
  minutes: number,
  everyMinutes: number,
  nodes: number,
): PlannedRestart[] {
  const times: number[] = [];
  for (let at = everyMinutes; at < minutes; at += everyMinutes) times.push(at * 60);
  if (times.length === 0) times.push((minutes * 60) / 2);
  return times.map((atSeconds, index) => ({ atSeconds, node: (index % nodes) + 1 }));
}
