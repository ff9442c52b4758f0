import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { withDeadline } from '../kafka/with-deadline';
import type { RecordHeaders } from '../../application/dead-letter-publisher.port';
import { headerBytes, kafkaHeaders } from '../kafka/user-event-record';

/** A record as it sits on the DLQ topic. */
export interface StoredDeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
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
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(dlqTopic))
        .filter((end) => BigInt(end.high) > BigInt(end.low))
        .map((end) => [end.partition, BigInt(end.high)]),
    );
    if (ends.size === 0) return [];
    const letters = await readUntil(kafka, admin, dlqTopic, ends, timeoutMs);
    return letters.sort(
      (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Reads `topic` from the beginning until each partition reached its offset in `ends`. */
async function readUntil(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  ends: ReadonlyMap<number, bigint>,
  timeoutMs: number,
): Promise<StoredDeadLetter[]> {
  const groupId = `dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const pending = new Map(ends);
  const letters: StoredDeadLetter[] = [];
  let reachedEnd: () => void = () => undefined;
  const allRead = new Promise<boolean>((resolve) => (reachedEnd = () => resolve(true)));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = pending.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return;
        const { offset, key, value, headers } = message;
        letters.push({ partition, offset, key, value, headers: headerBytes(headers) });
        if (BigInt(offset) + 1n >= end) pending.delete(partition);
        if (pending.size === 0) reachedEnd();
      },
    });
    if (!(await withDeadline(allRead, timeoutMs, () => false)))
      throw new Error(`could not read ${topic} to its end within ${timeoutMs} ms`);
    return letters;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

/**
 * Writes dead letters back to the event topic with their original key, value and headers, the
 * same bytes as they first arrived; only the DLQ's own dlq-* headers are left behind.
 */
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
      headers: kafkaHeaders(
        Object.fromEntries(
          Object.entries(letter.headers).filter(([name]) => !DLQ_HEADER.test(name)),
        ),
      ),
    })),
  });
}
