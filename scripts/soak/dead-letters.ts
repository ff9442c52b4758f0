import { benchKafka } from '../bench/pipeline/group-lag';
import { eventually } from '../../test/support/eventually';
import { poisonNumber } from './poison-writer';

/** What the DLQ topic holds at the end of the soak. */
export interface DeadLetterCount {
  /** Records on the topic. */
  readonly records: number;
  /** This run's poisons among them, each counted once (a redelivered poison is written twice). */
  readonly distinctPoisons: number;
  /** Records that are none of this run's poisons. */
  readonly others: number;
  /** Records by their `dlq-reason` header. */
  readonly reasons: Readonly<Record<string, number>>;
}

/** Reads the DLQ topic from its start to the end offsets it has now, in a group of its own. */
export async function countDeadLetters(
  brokers: readonly string[],
  topic: string,
  tag: string,
  timeoutMs: number,
): Promise<DeadLetterCount> {
  const kafka = benchKafka(brokers, 'soak-dlq-reader');
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.map(({ partition, high }) => [partition, Number(high)]));
  const total = ends.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  const poisons = new Set<number>();
  const reasons: Record<string, number> = {};
  let records = 0;
  let others = 0;
  const consumer = kafka.consumer({ groupId: `soak-dlq-reader-${tag}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) >= (remaining.get(partition) ?? 0)) return;
        records += 1;
        const reason = message.headers?.['dlq-reason']?.toString() ?? 'none';
        reasons[reason] = (reasons[reason] ?? 0) + 1;
        const n = poisonNumber(tag, message.value?.toString('utf8') ?? '');
        if (n === undefined) others += 1;
        else poisons.add(n);
      },
    });
    await eventually(
      'the DLQ read to its end',
      () => (records >= total ? true : undefined),
      timeoutMs,
      200,
    );
  } finally {
    await consumer.disconnect();
  }
  return { records, distinctPoisons: poisons.size, others, reasons };
}
