import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type {
  ClientProducer,
  GroupMember,
  GroupMemberSettings,
  KafkaClient,
  KafkaClientSettings,
} from '../kafka/kafka-client';
import type { GroupOffsets } from '../kafka/consumer-group-lag';
import type { TopicAdmin } from '../kafka/kafka-topics';
import type { RecordWrites, TopicWrites } from '../kafka/record-writes';
import { ChosenPartitions, createEventProducer, createKafka } from './kafkajs-setup';
import { coalescedWritesTo } from './coalesced-sends';
import { ProducerConnection } from './producer-connection';
import { KafkajsGroupMember } from './kafkajs-group-member';
import { kafkajsTopicAdmin } from './kafkajs-topic-admin';
import { groupSession } from './group-session';
import { KafkaTrouble } from '../kafka/connection-trouble';

// Well below the broker's default message.max.bytes (1 MiB per partition's batch), and enough
// records per request that a round trip carries thousands of events under load.
const MAX_REQUEST = { records: 5000, bytes: 512 * 1024 };

/** kafkajs' producer, its produce requests coalesced by CoalescedSends. */
class KafkajsProducer implements ClientProducer {
  private readonly partitions = new ChosenPartitions();
  private readonly producer: Producer;
  private readonly connection: ProducerConnection;

  constructor(kafka: Kafka, trouble: KafkaTrouble) {
    this.producer = createEventProducer(kafka, this.partitions);
    this.connection = new ProducerConnection(this.producer, trouble);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  isUp(): boolean {
    return this.connection.isUp();
  }

  writesTo(settings: TopicWrites): RecordWrites {
    return coalescedWritesTo(this.producer, this.partitions, settings, MAX_REQUEST);
  }
}

/** The service's Kafka client on kafkajs (KAFKA_CLIENT=kafkajs, the default). */
export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  readonly producer: KafkajsProducer;
  readonly trouble: KafkaTrouble;

  constructor(
    settings: KafkaClientSettings,
    private readonly logger: Logger,
  ) {
    this.trouble = new KafkaTrouble(logger);
    this.kafka = createKafka(settings, logger, this.trouble);
    this.producer = new KafkajsProducer(this.kafka, this.trouble);
  }

  topicAdmin(): Promise<TopicAdmin> {
    return kafkajsTopicAdmin(this.kafka);
  }

  groupMember(settings: GroupMemberSettings): GroupMember {
    const consumer = this.kafka.consumer({
      groupId: settings.groupId,
      allowAutoTopicCreation: false,
      ...groupSession(settings.sessionTimeoutMs),
    });
    return new KafkajsGroupMember(consumer, settings, this.logger);
  }

  groupOffsets(): Promise<GroupOffsets> {
    return kafkajsGroupOffsets(this.kafka);
  }
}

/** A connected kafkajs admin, for reading a group's lag. */
export async function kafkajsGroupOffsets(kafka: Kafka): Promise<GroupOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}
