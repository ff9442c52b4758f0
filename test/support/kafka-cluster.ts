import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { testDependency } from './test-dependency';

const run = promisify(execFile);
const LOCAL_SCRIPT = resolve(__dirname, '../../scripts/kafka-local.sh');
export const CLUSTER_NODES = 3;
// State and ports of the cluster tests' own (nodes on 20092, 20094, 20096, controllers one above).
const CLUSTER_ENV = {
  ...process.env,
  KAFKA_LOCAL_HOME: resolve(__dirname, '../../.cache/kafka-cluster-test'),
  // Another port for a second suite running beside this one (two checkouts on one machine).
  KAFKA_LOCAL_PORT: process.env.KAFKA_TEST_CLUSTER_PORT ?? '20092',
  KAFKA_LOCAL_NODES: String(CLUSTER_NODES),
};

interface Cluster {
  readonly brokers: string[];
  /** Whether these tests started it, and so may stop, kill and pause its nodes. */
  readonly controllable: boolean;
  readonly stop: () => Promise<void>;
}

const cluster = testDependency(findCluster);

/**
 * The bootstrap list of the three-node cluster the cluster tests share: `KAFKA_CLUSTER_BROKERS`
 * from the environment, else the project's script with KAFKA_LOCAL_NODES=3. (No testcontainers
 * path: a cluster of containers is for docker-compose's `cluster` profile.) Failing to get one
 * fails the calling test; nothing is skipped.
 */
export const clusterBrokers = (): Promise<string[]> => cluster.get().then((found) => found.brokers);

/** Stops the cluster only if these tests started it. */
export const releaseKafkaCluster = cluster.release;

/** Runs a per-node command of the script (`kill-node`, `start-node`, …) on node `n`. */
export async function clusterNode(
  command: 'start-node' | 'stop-node' | 'kill-node' | 'pause-node' | 'resume-node',
  n: number,
): Promise<void> {
  if (!(await cluster.get()).controllable)
    throw new Error('the cluster came from KAFKA_CLUSTER_BROKERS: its nodes are not ours to stop');
  await run('bash', [LOCAL_SCRIPT, command, String(n)], { env: CLUSTER_ENV, timeout: 180_000 });
}

async function findCluster(): Promise<Cluster> {
  const fromEnvironment = process.env.KAFKA_CLUSTER_BROKERS;
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    return {
      brokers: fromEnvironment.split(',').map((b) => b.trim()),
      controllable: false,
      stop: async () => {},
    };
  }
  const { stdout } = await run('bash', [LOCAL_SCRIPT, 'start'], {
    env: CLUSTER_ENV,
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return {
    brokers: (stdout.trim().split('\n').pop() ?? '').split(','),
    controllable: true,
    stop: async () => {
      await run('bash', [LOCAL_SCRIPT, 'stop'], { env: CLUSTER_ENV, timeout: 120_000 });
    },
  };
}
