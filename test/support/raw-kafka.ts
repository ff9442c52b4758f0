import { Kafka, logLevel, type Admin, type IHeaders, type Message } from 'kafkajs';
import { eventually } from './eventually';
import { unique } from './unique';

/** A plain client for tests that write or read records behind the service's back. */
const client = (brokers: string[]) =>
  new Kafka({ clientId: unique('test-client'), brokers, logLevel: logLevel.NOTHING });

/** Runs `work` with a connected admin client, disconnected afterwards whatever happens. */
export async function withAdmin<T>(
  brokers: string[],
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** How many records a topic holds, over all its partitions. */
export async function recordCount(brokers: string[], topic: string): Promise<number> {
  const offsets = await withAdmin(brokers, (admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

/** The node leading the most partitions of these topics: the one whose loss they all feel. */
export async function busiestLeader(brokers: string[], topics: readonly string[]): Promise<number> {
  const metadata = await withAdmin(brokers, (admin) =>
    admin.fetchTopicMetadata({ topics: [...topics] }),
  );
  const led = new Map<number, number>();
  for (const { partitions } of metadata.topics)
    for (const { leader } of partitions) led.set(leader, (led.get(leader) ?? 0) + 1);
  return [...led.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

export async function produceRaw(
  brokers: string[],
  topic: string,
  messages: Message[],
): Promise<void> {
  const producer = client(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly keyBytes: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

/**
 * Reads a topic from the beginning until `enough` holds of what arrived: a number of records, or
 * a test of them. Each record counts once: a reader that rejoins its group may be given records
 * again, and a count of deliveries would then end the read before the topic's end.
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  enough: number | ((records: readonly ReadRecord[]) => boolean),
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const consumer = client(brokers).consumer({ groupId: unique('test-reader') });
  const records = new Map<string, ReadRecord>();
  const holds =
    typeof enough === 'number' ? (read: readonly ReadRecord[]) => read.length >= enough : enough;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.set(`${partition}:${message.offset}`, {
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          keyBytes: message.key,
          value: message.value,
          headers: message.headers ?? {},
        });
      },
    });
    return await eventually(
      typeof enough === 'number' ? `${enough} records on ${topic}` : `the records on ${topic}`,
      () => {
        const read = [...records.values()];
        return holds(read) ? read : undefined;
      },
      timeoutMs,
    );
  } finally {
    await consumer.disconnect();
  }
}
