import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { RecordHeaders } from '../../application/dead-letter-publisher.port';
import type { PublishFailure } from '../../application/event-publisher.port';
import type {
  DeadLetterEntry,
  DeadLetterFailure,
  DeadLetterList,
  DeadLetters,
  ReplayedLetters,
} from '../../application/dead-letters.port';
import { errorMessage } from '../shared/error-message';
import type { KafkaClient } from './kafka-client';
import type { RecordWrites } from './record-writes';
import { headerBytes, headerText, kafkaHeaders, type HeaderValues } from './user-event-record';
import { withDeadline } from './with-deadline';
import { withTraceContext, type RecordTracing } from './record-tracing';

/** A record as it sits on the DLQ topic. */
export interface StoredDeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
}

export interface DeadLetterTopics {
  /** The dead-letter topic, read. */
  readonly dlqTopic: string;
  /** How long reading it may take before the read is given up. */
  readonly readTimeoutMs: number;
}

const DLQ_HEADER = /^dlq-/;
const VALUE_PREVIEW_BYTES = 200;

const letterId = (letter: Pick<StoredDeadLetter, 'partition' | 'offset'>): string =>
  `${letter.partition}:${letter.offset}`;

/** A letter as people read it: where it is, why it is there, and the start of its value. */
export const describeLetter = (letter: StoredDeadLetter): DeadLetterEntry => ({
  id: letterId(letter),
  key: letter.key?.toString('utf8') ?? null,
  reason: headerText(letter.headers, 'dlq-reason'),
  error: headerText(letter.headers, 'dlq-error'),
  originalTopic: headerText(letter.headers, 'dlq-original-topic'),
  originalPartition: headerText(letter.headers, 'dlq-original-partition'),
  originalOffset: headerText(letter.headers, 'dlq-original-offset'),
  failedAt: headerText(letter.headers, 'dlq-failed-at'),
  eventId: headerText(letter.headers, 'ce_id'),
  value: letter.value?.subarray(0, VALUE_PREVIEW_BYTES).toString('utf8') ?? null,
});

/**
 * The DLQ topic of a Kafka client: read by a throw-away consumer group (deleted afterwards), so
 * that reading commits nothing anyone else relies on; replayed through `eventWrites`, the writes
 * to the event topic, with the same guarantees as a POST (acknowledged by all in-sync replicas),
 * each replayed record a producer span of the replay's trace linked to the trace the record had.
 * The service's routes and `npm run dlq` both use it.
 */
export class KafkaDeadLetters implements DeadLetters {
  constructor(
    private readonly client: KafkaClient,
    private readonly eventWrites: RecordWrites,
    private readonly topics: DeadLetterTopics,
    private readonly tracing: RecordTracing,
  ) {}

  list(limit: number): TaskEither<DeadLetterFailure, DeadLetterList> {
    return unavailableOnError(async () => {
      const letters: DeadLetterEntry[] = [];
      const complete = await scanDeadLetters(this.client, this.topics, (letter) => {
        letters.push(describeLetter(letter));
        return letters.length < limit;
      });
      return { letters: letters.sort(byPlace), complete };
    });
  }

  replay(ids: readonly string[]): TaskEither<DeadLetterFailure, ReplayedLetters> {
    return async () => {
      const wanted = new Set(ids);
      const found = new Map<string, StoredDeadLetter>();
      const read = await unavailableOnError(() =>
        scanDeadLetters(this.client, this.topics, (letter) => {
          if (wanted.has(letterId(letter))) found.set(letterId(letter), letter);
          return found.size < wanted.size;
        }),
      )();
      if (E.isLeft(read)) return read;
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) return E.left({ _tag: 'LettersNotFound', ids: missing });
      const letters = [...found.values()];
      const sends = this.tracing.sendingRecords(
        letters.map((letter) => ({
          messageId: headerText(letter.headers, 'ce_id'),
          key: letter.key?.toString('utf8'),
          sentBefore: letter.headers,
        })),
      );
      const written = await this.eventWrites.write(
        letters.map((letter, index) => asItArrived(letter, sends.headers[index])),
      );
      sends.end(written);
      return E.isLeft(written)
        ? E.left({ _tag: 'DeadLettersUnavailable', detail: failureText(written.left) })
        : E.right({ replayed: [...found.keys()] });
    };
  }
}

// The reader's group lives for one read; nothing it commits is ever read again.
const READER_SESSION_MS = 10_000;

/** Every letter on the topic, up to its end as of now, for a test or a tool that reads them all. */
export async function readDeadLetters(
  client: KafkaClient,
  topics: DeadLetterTopics,
): Promise<StoredDeadLetter[]> {
  const letters: StoredDeadLetter[] = [];
  await scanDeadLetters(client, topics, (letter) => letters.push(letter) > 0);
  return letters;
}

/**
 * Hands each letter on the DLQ topic, up to its end as of now, to `visit` until it answers false,
 * one partition after the other. Answers whether every letter was visited. Throws when the topic
 * could not be read to its end within `readTimeoutMs`.
 */
async function scanDeadLetters(
  client: KafkaClient,
  topics: DeadLetterTopics,
  visit: (letter: StoredDeadLetter) => boolean,
): Promise<boolean> {
  const offsets = await client.groupOffsets();
  try {
    const ends = new Map(
      (await offsets.fetchTopicOffsets(topics.dlqTopic))
        .filter((end) => BigInt(end.high) > BigInt(end.low))
        .map((end) => [end.partition, BigInt(end.high)]),
    );
    if (ends.size === 0) return true;
    const groupId = `dlq-reader-${randomUUID()}`;
    try {
      return await readUntil(client, { ...topics, groupId }, ends, visit);
    } finally {
      await offsets.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await offsets.disconnect();
  }
}

/**
 * Reads the topic from its start, as a new group, until each partition reached its end in
 * `ends` (true) or `visit` said enough (false).
 */
async function readUntil(
  client: KafkaClient,
  { dlqTopic, readTimeoutMs, groupId }: DeadLetterTopics & { readonly groupId: string },
  ends: ReadonlyMap<number, bigint>,
  visit: (letter: StoredDeadLetter) => boolean,
): Promise<boolean> {
  const pending = new Map(ends);
  let outcome: boolean | Error | undefined;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const end = (how: boolean | Error) => {
    outcome ??= how;
    settle();
  };
  const member = client.groupMember({
    groupId,
    topic: dlqTopic,
    sessionTimeoutMs: READER_SESSION_MS,
    // One partition at a time: `visit` is called in order, never concurrently.
    concurrentPartitions: 1,
    commitIntervalMs: READER_SESSION_MS,
    onFatal: (error) => end(error),
  });
  try {
    await member.run(async ({ batch }) => {
      const last = pending.get(batch.partition);
      if (outcome !== undefined || last === undefined) return;
      for (const { offset, key, value, headers } of batch.messages) {
        if (BigInt(offset) >= last) break;
        const letter = { partition: batch.partition, offset, key, value };
        if (!visit({ ...letter, headers: headerBytes(headers) })) return end(false);
        if (BigInt(offset) + 1n >= last) pending.delete(batch.partition);
      }
      if (pending.size === 0) end(true);
    });
    await withDeadline(settled, readTimeoutMs, () => undefined);
    if (outcome === undefined)
      throw new Error(`could not read ${dlqTopic} to its end within ${readTimeoutMs} ms`);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  } finally {
    await member.leave();
  }
}

const byPlace = (a: DeadLetterEntry, b: DeadLetterEntry): number => {
  const [pa, oa] = a.id.split(':').map(BigInt) as [bigint, bigint];
  const [pb, ob] = b.id.split(':').map(BigInt) as [bigint, bigint];
  return pa === pb ? Number(oa - ob) : Number(pa - pb);
};

/**
 * The record as it first arrived: the DLQ's own dlq-* headers are left behind, and when the
 * replay is traced its trace context replaces the one the record had.
 */
const asItArrived = (letter: StoredDeadLetter, traced: HeaderValues | undefined) => ({
  key: letter.key,
  value: letter.value,
  headers: withTraceContext(
    kafkaHeaders(
      Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !DLQ_HEADER.test(name))),
    ),
    traced,
  ),
});

const failureText = (failure: PublishFailure): string => {
  switch (failure._tag) {
    case 'BrokerUnavailable':
      return failure.detail;
    case 'PublishTimedOut':
      return `not acknowledged within ${failure.afterMs} ms`;
    case 'Overloaded':
      return `${failure.maxPendingEvents} records are waiting for the broker already`;
  }
};

/** The queue could not be read: whatever `work` threw, said in one line. */
const unavailableOnError = <T>(work: () => Promise<T>): TaskEither<DeadLetterFailure, T> =>
  TE.tryCatch(work, (error) => ({ _tag: 'DeadLettersUnavailable', detail: errorMessage(error) }));
