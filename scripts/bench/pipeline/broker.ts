import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cleanup } from './cleanup';
import { BROKER_POM, ROOT } from './paths';
import { runCommand } from './run-command';

const SCRIPT = resolve(ROOT, 'scripts/kafka-local.sh');

/** Where the script keeps a broker or cluster of the bench's own, apart from every test's. */
export interface Placement {
  /** KAFKA_LOCAL_HOME: state, logs and PIDs. */
  readonly home: string;
  /** KAFKA_LOCAL_PORT: node N listens on port + 2(N − 1). */
  readonly port: number;
  readonly nodes: number;
  /** KAFKA_LOCAL_REBALANCE_DELAY_MS: the script's 0 when not given. */
  readonly rebalanceDelayMs?: number;
}

export interface Broker {
  readonly brokers: string[];
  readonly version: string;
  /** Each node's JVM PID, for its CPU and memory. */
  readonly pids: readonly number[];
  /** Stops every node by its recorded PID (the script's `stop`); the state folder stays. */
  stop(): Promise<void>;
  /** Stops node `n` gracefully (the script's `stop-node`), returning once it is gone. */
  stopNode(n: number): Promise<void>;
  /** Starts node `n` again on its data (`start-node`), returning once it serves. */
  startNode(n: number): Promise<void>;
}

/** The Kafka version of the broker jars (scripts/kafka/pom.xml), as the script reads it. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(BROKER_POM, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no <kafka.version> in ${BROKER_POM}`);
  return match[1];
}

type ScriptCommand = 'start' | 'stop' | 'start-node' | 'stop-node';

const script = (placement: Placement, command: ScriptCommand, timeoutMs: number, node?: number) =>
  runCommand('bash', [SCRIPT, command, ...(node === undefined ? [] : [String(node)])], {
    env: {
      ...process.env,
      KAFKA_LOCAL_HOME: placement.home,
      KAFKA_LOCAL_PORT: String(placement.port),
      KAFKA_LOCAL_NODES: String(placement.nodes),
      KAFKA_LOCAL_REBALANCE_DELAY_MS: String(placement.rebalanceDelayMs ?? 0),
    },
    timeoutMs,
  });

/** The PID file of node `n`, where the script writes it (one node keeps the folder's root). */
const pidFile = (placement: Placement, n: number): string =>
  placement.nodes === 1
    ? resolve(placement.home, 'broker.pid')
    : resolve(placement.home, `node-${n}`, 'broker.pid');

/**
 * A broker or cluster of the bench's own (scripts/kafka-local.sh), started on empty log
 * directories so that no earlier run's topics weigh on this one, and stopped by the script (by
 * its recorded PIDs) when the run ends or `stop` is called.
 */
export async function startBroker(cleanup: Cleanup, placement: Placement): Promise<Broker> {
  // A broker left by an interrupted run is stopped by its recorded PID before its state goes.
  await script(placement, 'stop', 120_000);
  rmSync(placement.home, { recursive: true, force: true });
  const stop = async (): Promise<void> => {
    await script(placement, 'stop', 120_000);
  };
  const forget = cleanup.add(`stop the broker in ${placement.home}`, stop);
  // The first run fetches the broker jars with Maven: minutes rather than seconds.
  const bootstrap = (await script(placement, 'start', 900_000)).trim().split('\n').pop() ?? '';
  const pids = Array.from({ length: placement.nodes }, (_, index) =>
    Number(readFileSync(pidFile(placement, index + 1), 'utf8').trim()),
  );
  return {
    brokers: bootstrap.split(','),
    version: kafkaVersion(),
    pids,
    stop: async () => {
      await stop();
      forget();
    },
    stopNode: async (n) => {
      await script(placement, 'stop-node', 120_000, n);
    },
    startNode: async (n) => {
      await script(placement, 'start-node', 300_000, n);
    },
  };
}
