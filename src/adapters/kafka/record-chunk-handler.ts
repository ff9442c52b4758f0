import { isLeft } from 'fp-ts/Either';
import type { ProcessEvent } from '../../application/process-event';
import type {
  DeadLetter,
  DeadLetterPublisher,
  DeadLetterReason,
} from '../../application/dead-letter-publisher.port';
import type { EventId } from '../../domain/event-fields';
import type { RecordLocation } from '../../application/record-location';
import { retryWithBackoff, type BackoffPolicy } from '../shared/retry-with-backoff';
import { REQUEST_ID_HEADER } from '../shared/request-id-header';
import type { RecordBatch } from './kafka-client';
import { processDelivered, type BusDelivery } from '../delivery/process-delivered';
import type { DeliveryReports } from '../delivery/report-settled';
import {
  endProcessing,
  withinProcessing,
  type RecordTracing,
  type TracedProcessing,
} from './record-tracing';
import {
  fromRecordValue,
  headerBytes,
  type DeliveredRecord,
  type PoisonRecord,
} from './user-event-record';

/** Consecutive records of one partition, handled together. */
export type RecordChunk = RecordBatch;

/** How long each write is retried: to the store, and to the DLQ. */
export interface ChunkRetries {
  /** Saves to the store; a bounded policy dead-letters the records once it gives up. */
  readonly storeRetries: BackoffPolicy;
  /** Dead letters; never given up, or a record would leave its partition unwritten. */
  readonly deadLetterWrites: BackoffPolicy;
}

/** A valid record, as delivered to processing. */
interface RecordDelivery extends BusDelivery {
  readonly message: DeliveredRecord;
  readonly traced: TracedProcessing | undefined;
}

/** A record that can never be processed, on its way to the DLQ. */
interface PoisonDelivery {
  readonly message: DeliveredRecord;
  readonly why: PoisonRecord;
  readonly traced: TracedProcessing | undefined;
}

/**
 * Handles a chunk of records: the valid ones are processed in one write (in their order); each
 * poison record, and each event the store refused for good, is written to the DLQ. Resolves once
 * every record is settled, so that the caller may then commit the chunk's offsets; rejects when
 * shutdown interrupted the retries of a write, to the store or to the DLQ, so that they stay
 * uncommitted.
 */
export class RecordChunkHandler {
  /** Records of any partition whose dead letter is being retried: the DLQ is failing meanwhile. */
  private waitingLetters = 0;

  constructor(
    private readonly processEvent: ProcessEvent,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly retries: ChunkRetries,
    private readonly reports: DeliveryReports,
    private readonly stopping: AbortSignal,
    private readonly tracing: RecordTracing,
  ) {}

  /** Records whose dead letter could not be written yet; their partitions wait on them. */
  deadLettersWaiting(): number {
    return this.waitingLetters;
  }

  async handle(chunk: RecordChunk, heartbeat: () => Promise<void>): Promise<void> {
    const valid: RecordDelivery[] = [];
    const poison: PoisonDelivery[] = [];
    for (const message of chunk.messages) {
      const decoded = fromRecordValue(message.value);
      if (isLeft(decoded)) {
        const traced = this.tracing.processing(chunk.partition, message, undefined);
        poison.push({ message, why: decoded.left, traced });
      } else valid.push(this.deliveryOf(chunk, message, decoded.right));
    }
    // Poison waits for the valid records beside it, never the other way round.
    await this.process(chunk, valid, heartbeat);
    for (const { message, why, traced } of poison) {
      await this.settleAsDeadLetter(traced, why.reason, () =>
        this.deadLetter(chunk, message, why.reason, why.error, heartbeat, why.eventId),
      );
    }
  }

  private async process(
    chunk: RecordChunk,
    valid: readonly RecordDelivery[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    if (valid.length === 0) return;
    const offsets = `${valid[0]!.message.offset}-${valid.at(-1)!.message.offset}`;
    const processed = await processDelivered(
      this.processEvent,
      valid,
      this.retries.storeRetries,
      this.reports,
      {
        where: { partition: chunk.partition, offsets },
        stopping: this.stopping,
        whileWaiting: heartbeat,
      },
    );
    if (processed.kind === 'interrupted') {
      for (const { traced } of valid) endProcessing(traced, 'interrupted by shutdown');
      // Rejecting keeps the offsets uncommitted: the records are delivered again after restart.
      throw new Error(`processing of offsets ${offsets} interrupted by shutdown`);
    }
    const [reason, givenUp] =
      processed.kind === 'processed'
        ? (['store-rejected', processed.setAside] as const)
        : ([
            'retries-exhausted',
            valid.map((delivered) => ({ delivered, why: processed.lastError.detail })),
          ] as const);
    const deadLettered = new Set(givenUp.map(({ delivered }) => delivered));
    for (const delivered of valid)
      if (!deadLettered.has(delivered)) endProcessing(delivered.traced);
    for (const { delivered, why } of givenUp) {
      const { message, event, traced } = delivered;
      await this.settleAsDeadLetter(traced, reason, () =>
        this.deadLetter(chunk, message, reason, why, heartbeat, event.eventId),
      );
    }
  }

  private async deadLetter(
    { topic, partition }: RecordChunk,
    message: DeliveredRecord,
    reason: DeadLetterReason,
    error: string,
    heartbeat: () => Promise<void>,
    eventId: EventId | undefined,
  ): Promise<void> {
    const letter: DeadLetter = {
      key: message.key,
      value: message.value,
      headers: headerBytes(message.headers),
      reason,
      error,
      origin: { topic, partition, offset: message.offset },
    };
    const deadLetter = await this.write(letter, heartbeat);
    if (eventId !== undefined)
      this.reports.setbacks.report([eventId], {
        kind: 'dead-lettered',
        reason,
        error,
        deadLetter,
      });
    this.reports.metrics.eventDeadLettered(reason);
    this.reports.logger.warn(
      { partition, offset: message.offset, reason, error },
      'record dead-lettered',
    );
  }

  /**
   * Writes the letter, retrying for as long as the DLQ refuses it: the partition waits on its
   * poison record, uncommitted, while the member keeps heartbeating and its other partitions
   * flow. Crashing instead would make kafkajs restart the member, and the group rebalance, in a
   * loop for as long as the DLQ is down. Rejects only when shutdown interrupts the wait.
   */
  private async write(letter: DeadLetter, heartbeat: () => Promise<void>): Promise<RecordLocation> {
    const { partition, offset } = letter.origin;
    let waiting = false;
    try {
      const { deadLetterWrites } = this.retries;
      const written = await retryWithBackoff(this.deadLetters.publish(letter), deadLetterWrites, {
        stopping: this.stopping,
        beforeRetry: async (attempt, failure, waitMs) => {
          if (!waiting) this.countWaiting(+1);
          waiting = true;
          this.reports.logger.warn(
            {
              partition,
              offset,
              attempt,
              waitMs,
              error: failure._tag === 'BrokerUnavailable' ? failure.detail : failure._tag,
            },
            'dead letter not written, retrying',
          );
          await heartbeat().catch(() => undefined);
        },
      });
      // Rejecting keeps the offset uncommitted: the record is delivered again after restart.
      if (written.kind !== 'succeeded')
        throw new Error(`dead letter for offset ${offset} not written before shutdown`);
      return written.value;
    } finally {
      if (waiting) this.countWaiting(-1);
    }
  }

  /**
   * Writes a record's dead letter inside its consumer span, which ends in error with the reason,
   * or, when shutdown interrupts the write, with that.
   */
  private async settleAsDeadLetter(
    traced: TracedProcessing | undefined,
    reason: DeadLetterReason,
    write: () => Promise<void>,
  ): Promise<void> {
    let ending = 'interrupted by shutdown';
    try {
      await withinProcessing(traced, write);
      ending = reason;
    } finally {
      endProcessing(traced, ending);
    }
  }

  private deliveryOf(
    { partition }: RecordChunk,
    message: DeliveredRecord,
    event: RecordDelivery['event'],
  ): RecordDelivery {
    const traced = this.tracing.processing(partition, message, event);
    return {
      event,
      location: { partition, offset: message.offset },
      requestId: message.headers?.[REQUEST_ID_HEADER]?.toString(),
      message,
      traced,
      traceContext: traced?.context,
    };
  }

  private countWaiting(change: 1 | -1): void {
    this.waitingLetters += change;
    this.reports.metrics.deadLettersWaiting(this.waitingLetters);
  }
}
