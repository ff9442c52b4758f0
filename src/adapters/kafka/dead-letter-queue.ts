import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { withDeadline } from './deadline';
import { headersAsText } from './user-event-record';

/** A record as it sits on the DLQ topic. */
export interface StoredDeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

const DLQ_HEADER = /^dlq-/;

/**
 * Every record on the DLQ topic, read to its current end by a throw-away consumer group, so that
 * reading commits nothing anyone else relies on.
 */
export async function readDeadLetters(
  kafka: Kafka,
  dlqTopic: string,
  timeoutMs = 30_000,
): Promise<StoredDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const pending = new Map(
      ends
        .filter((end) => BigInt(end.high) > BigInt(end.low))
        .map((end) => [end.partition, BigInt(end.high)]),
    );
    const letters: StoredDeadLetter[] = [];
    if (pending.size === 0) return letters;
    let reachedEnd: () => void = () => undefined;
    const allRead = new Promise<boolean>((resolve) => (reachedEnd = () => resolve(true)));
    await consumer.connect();
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = pending.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return;
        letters.push({
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: headersAsText(message.headers),
        });
        if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
        if (pending.size === 0) reachedEnd();
      },
    });
    if (!(await withDeadline(allRead, timeoutMs, () => false)))
      throw new Error(`could not read ${dlqTopic} to its end within ${timeoutMs} ms`);
    return letters.sort(
      (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
    );
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Writes dead letters back to the event topic with their original key, value and headers. */
export async function replayDeadLetters(
  producer: Producer,
  topic: string,
  letters: readonly StoredDeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: letters.map((letter) => ({
      key: letter.key,
      value: letter.value,
      headers: Object.fromEntries(
        Object.entries(letter.headers).filter(([name]) => !DLQ_HEADER.test(name)),
      ),
    })),
  });
}
