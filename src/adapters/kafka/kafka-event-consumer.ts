import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { ProcessEvent } from '../../application/process-event';
import type { DeadLetterPublisher } from '../../application/dead-letter-publisher.port';
import type { DeliveryReports } from '../delivery/report-settled';
import { withDeadline } from './with-deadline';
import { RecordChunkHandler, type ChunkRetries } from './record-chunk-handler';

// Records stored in one write.
const CHUNK_RECORDS = 500;
// kafkajs commits at the end of each fetched batch (up to 1 MiB of a partition's records). Within
// a long batch the resolved chunks are committed too once this long has passed since the last
// commit: a process killed mid-batch gets back at most about a second's records, duplicates that
// cost little, where a commit after every chunk would cost a round trip each (a third of the drain
// rate, measured with npm run bench).
const COMMIT_INTERVAL_MS = 1000;

export interface KafkaConsumeSettings {
  readonly topic: string;
  /** Partitions processed at once; records within one partition are always processed in order. */
  readonly concurrentPartitions: number;
  readonly retries: ChunkRetries;
  /** Called when the consumer crashed and kafkajs will not restart it: it would stall silently. */
  readonly onFatal: (error: Error) => void;
}

/**
 * Feeds every record of the topic to ProcessEvent, a chunk of up to CHUNK_RECORDS records of a
 * partition at a time, in order. A chunk's offsets are resolved, and then committed, only after
 * each of its records was processed, found to be a duplicate, or written to the DLQ.
 */
export class KafkaEventConsumer {
  private assigned = false;
  private running = false;
  private readonly stopping = new AbortController();
  private readonly chunks: RecordChunkHandler;

  constructor(
    private readonly consumer: Consumer,
    processEvent: ProcessEvent,
    deadLetters: DeadLetterPublisher,
    private readonly settings: KafkaConsumeSettings,
    reports: DeliveryReports,
  ) {
    this.chunks = new RecordChunkHandler(
      processEvent,
      deadLetters,
      settings.retries,
      reports,
      this.stopping.signal,
    );
    const { logger } = reports;
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.assigned = (payload.memberAssignment[settings.topic]?.length ?? 0) > 0;
    });
    for (const event of [CRASH, STOP, DISCONNECT])
      consumer.on(event, () => (this.assigned = false));
    consumer.on(CRASH, ({ payload }) => {
      logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      if (!payload.restart && !this.stopping.signal.aborted) settings.onFatal(payload.error);
    });
  }

  /**
   * Joins the group (a new group starts at the earliest offset) and starts consuming; from then
   * on kafkajs keeps the membership. Safe to call again after a failure.
   */
  async start(): Promise<void> {
    if (this.running) return;
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.settings.topic], fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.settings.concurrentPartitions,
      autoCommitInterval: COMMIT_INTERVAL_MS,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.running = true;
  }

  /** Resolves true once the group assigned partitions to this member, false after `timeoutMs`. */
  awaitAssignment(timeoutMs: number): Promise<boolean> {
    if (this.assigned) return Promise.resolve(true);
    const joined = new Promise<boolean>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve(this.assigned)),
    );
    return withDeadline(joined, timeoutMs, () => false);
  }

  /** Member of the group with partitions of the topic. */
  isAssigned(): boolean {
    return this.assigned;
  }

  /** Records whose dead letter could not be written yet; while any, the DLQ is failing. */
  deadLettersWaiting(): number {
    return this.chunks.deadLettersWaiting();
  }

  /** Finishes the records in hand, commits their offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    for (let from = 0; from < messages.length; from += CHUNK_RECORDS) {
      // Stopping, or the partition moved to another member: leave the rest uncommitted.
      if (!isRunning() || isStale()) return;
      const chunk = messages.slice(from, from + CHUNK_RECORDS);
      await this.chunks.handle({ topic, partition, messages: chunk }, heartbeat);
      resolveOffset(chunk.at(-1)!.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }
}
