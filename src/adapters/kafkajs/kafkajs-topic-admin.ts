import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import type { TopicAdmin, TopicDurability } from '../kafka/kafka-topics';

const MIN_INSYNC = 'min.insync.replicas';

/** A connected kafkajs admin as the service's topic admin. */
export async function kafkajsTopicAdmin(kafka: Kafka): Promise<TopicAdmin> {
  const admin = kafka.admin();
  await admin.connect();
  return {
    brokerCount: async () => (await admin.describeCluster()).brokers.length,
    listTopics: () => admin.listTopics(),
    createTopics: async (topics) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((topic) => ({
          topic: topic.topic,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configEntries: [{ name: MIN_INSYNC, value: String(topic.minInsyncReplicas) }],
        })),
      });
    },
    durabilityOf: async (topics) => {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: [MIN_INSYNC],
        })),
      });
      return new Map(
        metadata.topics.map(({ name, partitions }): [string, TopicDurability] => {
          const entry = configs.resources
            .find((resource) => resource.resourceName === name)
            ?.configEntries.find((config) => config.configName === MIN_INSYNC);
          return [
            name,
            {
              replicas: Math.min(...partitions.map((partition) => partition.replicas.length)),
              minInsyncReplicas: Number(entry?.configValue ?? 1),
            },
          ];
        }),
      );
    },
    close: () => admin.disconnect(),
  };
}
