import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Logger } from 'pino';
import type {
  GroupMember,
  GroupMemberSettings,
  KafkaClient,
  KafkaClientSettings,
} from '../kafka/kafka-client';
import type { GroupOffsets } from '../kafka/consumer-group-lag';
import type { TopicAdmin } from '../kafka/kafka-topics';
import { loadLibrdkafka } from './librdkafka-library';
import { throughPino } from './librdkafka-logger';
import { LibrdkafkaProducer, type DeliverySettings } from './librdkafka-producer';
import { LibrdkafkaGroupMember } from './librdkafka-group-member';
import { librdkafkaTopicAdmin } from './librdkafka-topic-admin';
import { librdkafkaSecurity } from './librdkafka-security';
import { KafkaTrouble } from '../kafka/connection-trouble';
import { librdkafkaTroubleReport } from './certificate-diagnosis';

/** The service's Kafka client on librdkafka (KAFKA_CLIENT=librdkafka). */
class LibrdkafkaClient implements KafkaClient {
  constructor(
    readonly producer: LibrdkafkaProducer,
    private readonly kafka: KafkaJS.Kafka,
    readonly trouble: KafkaTrouble,
  ) {}

  topicAdmin(): Promise<TopicAdmin> {
    return librdkafkaTopicAdmin(this.kafka, () => this.producer.brokerCount());
  }

  groupMember(settings: GroupMemberSettings): GroupMember {
    return new LibrdkafkaGroupMember(this.kafka, settings);
  }

  async groupOffsets(): Promise<GroupOffsets> {
    const admin = this.kafka.admin();
    await admin.connect();
    return admin;
  }
}

/**
 * The librdkafka client; throws at once, saying how to install it, when the optional module is
 * missing or was built for another Node.js.
 */
export function librdkafkaClient(
  settings: KafkaClientSettings,
  delivery: DeliverySettings,
  logger: Logger,
): KafkaClient {
  const library = loadLibrdkafka();
  const log = logger.child({ component: 'librdkafka' });
  const trouble = new KafkaTrouble(logger);
  const report = librdkafkaTroubleReport(trouble, settings.security?.tls);
  const kafka = new library.KafkaJS.Kafka({
    kafkaJS: {
      clientId: settings.clientId,
      brokers: [...settings.brokers],
      logger: throughPino(log, report),
      connectionTimeout: 3000,
      requestTimeout: 10000,
    },
    ...librdkafkaSecurity(settings.security),
  });
  const producer = new LibrdkafkaProducer(library, settings, delivery, log, {
    reportTrouble: report,
    trouble,
  });
  return new LibrdkafkaClient(producer, kafka, trouble);
}
