import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';

/** How many copies of each partition, and how many must have a write before it is acknowledged. */
export interface Replication {
  /** Undefined: 3, or the number of brokers when the cluster has fewer. */
  readonly factor?: number | undefined;
  /** Undefined: 2 when the factor is 3 or more, else 1. */
  readonly minInsyncReplicas?: number | undefined;
}

const MIN_INSYNC = 'min.insync.replicas';

/**
 * Creates the topics that do not exist yet with `partitions` partitions and the replication
 * asked for. Existing topics are left as they are, but each one that keeps fewer copies, or asks
 * fewer of them for a write, than asked for is answered, one line each, for people to act on:
 * using it silently would promise a durability it does not have.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  partitions: number,
  replication: Replication = {},
): Promise<readonly string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const brokers = (await admin.describeCluster()).brokers.length;
    const factor = replication.factor ?? Math.min(3, brokers);
    const minInsync = replication.minInsyncReplicas ?? (factor >= 3 ? 2 : 1);
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: factor,
          configEntries: [{ name: MIN_INSYNC, value: String(minInsync) }],
        })),
      });
    }
    const present = topics.filter((topic) => existing.has(topic));
    return present.length === 0 ? [] : await weakerThanAsked(admin, present, factor, minInsync);
  } finally {
    await admin.disconnect();
  }
}

async function weakerThanAsked(
  admin: Admin,
  topics: readonly string[],
  factor: number,
  minInsync: number,
): Promise<string[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: [MIN_INSYNC],
    })),
  });
  return metadata.topics.flatMap(({ name, partitions }) => {
    const replicas = Math.min(...partitions.map((partition) => partition.replicas.length));
    const entry = configs.resources
      .find((resource) => resource.resourceName === name)
      ?.configEntries.find((config) => config.configName === MIN_INSYNC);
    const topicMinInsync = Number(entry?.configValue ?? 1);
    return replicas < factor || topicMinInsync < minInsync
      ? [
          `topic ${name} has ${replicas} replicas and ${MIN_INSYNC}=${topicMinInsync}, less than the ${factor} and ${minInsync} configured`,
        ]
      : [];
  });
}
