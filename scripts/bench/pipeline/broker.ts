import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cleanup } from './cleanup';
import { BROKER_HOME, BROKER_POM, BROKER_PORT, ROOT } from './paths';
import { runCommand } from './run-command';

const SCRIPT = resolve(ROOT, 'scripts/kafka-local.sh');

export interface Broker {
  readonly brokers: string[];
  readonly version: string;
  /** The broker JVM's PID, for its CPU and memory. */
  readonly pid: number;
}

/** The Kafka version of the broker jars (scripts/kafka/pom.xml), as the script reads it. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(BROKER_POM, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no <kafka.version> in ${BROKER_POM}`);
  return match[1];
}

const script = (command: 'start' | 'stop', timeoutMs: number): Promise<string> =>
  runCommand('bash', [SCRIPT, command], {
    env: {
      ...process.env,
      KAFKA_LOCAL_HOME: BROKER_HOME,
      KAFKA_LOCAL_PORT: String(BROKER_PORT),
    },
    timeoutMs,
  });

/**
 * The bench's own single-node broker (scripts/kafka-local.sh, state in .cache/kafka-bench, port
 * 19792), started on an empty log directory so that no earlier run's topics weigh on this one,
 * and stopped by the script (by its recorded PID) when the run ends.
 */
export async function startBroker(cleanup: Cleanup): Promise<Broker> {
  // A broker left by an interrupted run is stopped by its recorded PID before its state goes.
  await script('stop', 60_000);
  rmSync(BROKER_HOME, { recursive: true, force: true });
  cleanup.add('stop the broker', async () => {
    await script('stop', 60_000);
  });
  // The first run fetches the broker jars with Maven: minutes rather than seconds.
  const address = (await script('start', 900_000)).trim().split('\n').pop() ?? '';
  const pid = Number(readFileSync(resolve(BROKER_HOME, 'broker.pid'), 'utf8').trim());
  return { brokers: [address], version: kafkaVersion(), pid };
}
