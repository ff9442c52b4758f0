import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { TopicAdmin } from '../kafka/kafka-topics';

/**
 * librdkafka's KafkaJS-style admin as the service's topic admin. Its Node binding reads no topic
 * configs, so an existing topic's min.insync.replicas is not checked with this client, only its
 * replicas (docs/adr/0013); the broker count comes from the producer's metadata.
 */
export async function librdkafkaTopicAdmin(
  kafka: KafkaJS.Kafka,
  brokerCount: () => Promise<number>,
): Promise<TopicAdmin> {
  const admin = kafka.admin();
  await admin.connect();
  return {
    brokerCount,
    listTopics: () => admin.listTopics(),
    createTopics: async (topics) => {
      await admin.createTopics({
        topics: topics.map((topic) => ({
          topic: topic.topic,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configEntries: [{ name: 'min.insync.replicas', value: String(topic.minInsyncReplicas) }],
        })),
      });
    },
    durabilityOf: async (topics) => {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      return new Map(
        metadata.map(({ name, partitions }) => [
          name,
          {
            replicas: Math.min(...partitions.map((partition) => partition.replicas.length)),
            minInsyncReplicas: undefined,
          },
        ]),
      );
    },
    close: () => admin.disconnect(),
  };
}
