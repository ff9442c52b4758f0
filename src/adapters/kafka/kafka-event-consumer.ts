import type { ProcessEvent } from '../../application/process-event';
import type { DeadLetterPublisher } from '../../application/dead-letter-publisher.port';
import type { DeliveryReports } from '../delivery/report-settled';
import type { BatchPayload, GroupMember } from './kafka-client';
import { RecordChunkHandler, type ChunkRetries } from './record-chunk-handler';
import type { RecordTracing } from './record-tracing';

// Records stored in one write.
const CHUNK_RECORDS = 500;
// The client commits at the end of each fetched batch. Within a long batch the resolved chunks
// are committed too once this long has passed since the last commit: a process killed mid-batch
// gets back at most about a second's records, duplicates that cost little, where a commit after
// every chunk would cost a round trip each (a third of the drain rate, measured with npm run
// bench). The group member is made with it.
export const COMMIT_INTERVAL_MS = 1000;

/**
 * Feeds every record of the topic to ProcessEvent, a chunk of up to CHUNK_RECORDS records of a
 * partition at a time, in order. A chunk's offsets are resolved, and then committed, only after
 * each of its records was processed, found to be a duplicate, or written to the DLQ.
 */
export class KafkaEventConsumer {
  private running = false;
  private readonly stopping = new AbortController();
  private readonly chunks: RecordChunkHandler;

  constructor(
    private readonly member: GroupMember,
    processEvent: ProcessEvent,
    deadLetters: DeadLetterPublisher,
    retries: ChunkRetries,
    reports: DeliveryReports,
    tracing: RecordTracing,
  ) {
    this.chunks = new RecordChunkHandler(
      processEvent,
      deadLetters,
      retries,
      reports,
      this.stopping.signal,
      tracing,
    );
  }

  /**
   * Joins the group (a new group starts at the earliest offset) and starts consuming; from then
   * on the client keeps the membership. Safe to call again after a failure.
   */
  async start(): Promise<void> {
    if (this.running) return;
    await this.member.run((payload) => this.handleBatch(payload));
    this.running = true;
  }

  /** Resolves true once the group assigned partitions to this member, false after `timeoutMs`. */
  awaitAssignment(timeoutMs: number): Promise<boolean> {
    return this.member.awaitAssignment(timeoutMs);
  }

  /** Member of the group with partitions of the topic. */
  isAssigned(): boolean {
    return this.member.isAssigned();
  }

  /** Records whose dead letter could not be written yet; while any, the DLQ is failing. */
  deadLettersWaiting(): number {
    return this.chunks.deadLettersWaiting();
  }

  /** Finishes the records in hand, commits their offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.member.leave();
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: BatchPayload): Promise<void> {
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
