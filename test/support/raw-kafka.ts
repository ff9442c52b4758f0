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

/** Reads a topic from the beginning until `count` records arrived. */
export async function readTopic(
  brokers: string[],
  topic: string,
  count: number,
): Promise<ReadRecord[]> {
  const consumer = client(brokers).consumer({ groupId: unique('test-reader') });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
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
      `${count} records on ${topic}`,
      () => (records.length >= count ? records : undefined),
      30_000,
    );
  } finally {
    await consumer.disconnect();
  }
}
