/** How many copies of each partition, and how many must have a write before it is acknowledged. */
export interface Replication {
  /** Undefined: 3, or the number of brokers when the cluster has fewer. */
  readonly factor?: number | undefined;
  /** Undefined: 2 when the factor is 3 or more, else 1. */
  readonly minInsyncReplicas?: number | undefined;
}

export interface NewTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

/** How durable an existing topic is. */
export interface TopicDurability {
  /** The fewest replicas any of its partitions has. */
  readonly replicas: number;
  /** Its min.insync.replicas; undefined where the client library cannot read topic configs. */
  readonly minInsyncReplicas: number | undefined;
}

/** What creating and checking topics needs of a client library's admin connection. */
export interface TopicAdmin {
  brokerCount(): Promise<number>;
  listTopics(): Promise<readonly string[]>;
  /** Resolves once the topics exist, with leaders for their partitions. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  durabilityOf(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDurability>>;
  close(): Promise<void>;
}

const MIN_INSYNC = 'min.insync.replicas';

/**
 * Creates the topics that do not exist yet with `partitions` partitions and the replication
 * asked for. Existing topics are left as they are, but each one that keeps fewer copies, or asks
 * fewer of them for a write, than asked for is answered, one line each, for people to act on:
 * using it silently would promise a durability it does not have.
 */
export async function ensureTopics(
  openAdmin: () => Promise<TopicAdmin>,
  topics: readonly string[],
  partitions: number,
  replication: Replication = {},
): Promise<readonly string[]> {
  const admin = await openAdmin();
  try {
    const brokers = await admin.brokerCount();
    const factor = replication.factor ?? Math.min(3, brokers);
    const minInsync = replication.minInsyncReplicas ?? (factor >= 3 ? 2 : 1);
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics(
        missing.map((topic) => ({
          topic,
          partitions,
          replicationFactor: factor,
          minInsyncReplicas: minInsync,
        })),
      );
    }
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length === 0) return [];
    const durability = await admin.durabilityOf(present);
    return present.flatMap((name) => {
      const found = durability.get(name);
      if (found === undefined) return [];
      const topicMinInsync = found.minInsyncReplicas;
      const weak =
        found.replicas < factor || (topicMinInsync !== undefined && topicMinInsync < minInsync);
      return weak
        ? [
            `topic ${name} has ${found.replicas} replicas and ${MIN_INSYNC}=${topicMinInsync ?? 'unknown'}, less than the ${factor} and ${minInsync} configured`,
          ]
        : [];
    });
  } finally {
    await admin.close();
  }
}
