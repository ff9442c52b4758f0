import { Kafka, logLevel } from 'kafkajs';

/**
 * Prints the id of the node that leads a partition (-1 while none does), as the brokers given
 * tell it: `scripts/kafka-netns.sh leader` runs it inside a host's network namespace with the
 * nodes that host can reach, so that the answer is that host's view. An isolated node keeps
 * naming itself, while the others name the leader they elected.
 *
 *   partition-leader.ts BOOTSTRAP TOPIC PARTITION
 */
async function main(): Promise<void> {
  const [bootstrap, topic, partitionText] = process.argv.slice(2);
  const partition = Number(partitionText);
  if (bootstrap === undefined || topic === undefined || !Number.isInteger(partition)) {
    throw new Error('usage: partition-leader.ts BOOTSTRAP TOPIC PARTITION');
  }
  // Short timeouts: a node cut off from this host only costs a connect attempt or two.
  const kafka = new Kafka({
    clientId: 'kafka-netns-leader',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 3, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics[0]?.partitions.find(({ partitionId }) => partitionId === partition);
    if (found === undefined) throw new Error(`topic ${topic} has no partition ${partition}`);
    console.log(String(found.leader));
  } finally {
    await admin.disconnect();
  }
}

// Exits once answered: kafkajs gives up on a connection attempt to a node cut off from this host
// after its timeout, but leaves the socket to the kernel's SYN retries (two minutes), which would
// keep the process alive that long.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`partition-leader: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
