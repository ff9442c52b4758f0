import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { busiestLeader as busiestLeaderOf, withAdmin } from './raw-kafka';

const run = promisify(execFile);
const NETNS_SCRIPT = resolve(__dirname, '../../scripts/kafka-netns.sh');

/** A host of scripts/kafka-netns.sh: the service's, a node's (kafka-<node id>) or PostgreSQL's. */
export type NetworkHost = 'service' | 'postgres' | `kafka-${number}`;

/**
 * The bootstrap list of the cluster on hosts of its own. `npm run test:network` starts it and
 * runs these tests on the service's host (the services they start run there too), naming it in
 * KAFKA_NETNS_BROKERS; anywhere else the faults would hit nothing, so the test fails.
 */
export function networkBrokers(): string[] {
  const list = process.env.KAFKA_NETNS_BROKERS?.trim();
  if (list === undefined || list === '')
    throw new Error(
      "the network fault tests run on the service's host of scripts/kafka-netns.sh, with KAFKA_NETNS_BROKERS set: start them with npm run test:network",
    );
  return list.split(',');
}

/** Runs a command of scripts/kafka-netns.sh (cut, heal, isolate, netem, heal-all, …). */
export async function network(...args: string[]): Promise<void> {
  await run('bash', [NETNS_SCRIPT, ...args], { timeout: 120_000 });
}

/** The node leading the most partitions of these topics, as a host. */
export const busiestLeader = async (topics: readonly string[]): Promise<NetworkHost> =>
  `kafka-${await busiestLeaderOf(networkBrokers(), topics)}`;

/** The partitions of each topic that `host` leads, as the nodes the caller reaches know it. */
export async function partitionsLedBy(
  host: NetworkHost,
  topics: readonly string[],
): Promise<Map<string, number[]>> {
  const metadata = await withAdmin(networkBrokers(), (admin) =>
    admin.fetchTopicMetadata({ topics: [...topics] }),
  );
  return new Map(
    metadata.topics.map(({ name, partitions }) => [
      name,
      partitions
        .filter(({ leader }) => `kafka-${leader}` === host)
        .map(({ partitionId }) => partitionId),
    ]),
  );
}
