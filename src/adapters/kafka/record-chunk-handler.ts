import { isLeft } from 'fp-ts/Either';
import type { KafkaMessage } from 'kafkajs';
import type { ProcessEvent } from '../../application/process-event';
import type {
  DeadLetterPublisher,
  DeadLetterReason,
} from '../../application/dead-letter-publisher.port';
import type { UserEvent } from '../../domain/user-event';
import type { BackoffPolicy } from '../shared/capped-backoff';
import { processDelivered } from '../shared/delivered-event';
import { reportSettled, type EventObservers } from '../shared/settlement-report';
import { REQUEST_ID_HEADER } from '../shared/request-id-header';
import { fromRecordValue, headersAsText, type PoisonRecord } from './user-event-record';

/** Consecutive records of one partition, handled together. */
export interface RecordChunk {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
}

interface Valid {
  readonly message: KafkaMessage;
  readonly event: UserEvent;
}

/**
 * Handles a chunk of records: the valid ones are processed in one write (in their order),
 * each poison record is written to the DLQ. Resolves once every record is settled, so that the
 * caller may then commit the chunk's offsets; rejects when a dead letter could not be written or
 * shutdown interrupted the retries, so that they stay uncommitted.
 */
export class RecordChunkHandler {
  constructor(
    private readonly processEvent: ProcessEvent,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly redelivery: BackoffPolicy,
    private readonly observers: EventObservers,
    private readonly stopping: AbortSignal,
  ) {}

  async handle(chunk: RecordChunk, heartbeat: () => Promise<void>): Promise<void> {
    const valid: Valid[] = [];
    const poison: Array<{ message: KafkaMessage; why: PoisonRecord }> = [];
    for (const message of chunk.messages) {
      const decoded = fromRecordValue(message.value);
      if (isLeft(decoded)) poison.push({ message, why: decoded.left });
      else valid.push({ message, event: decoded.right });
    }
    // Poison waits for the valid records beside it, never the other way round.
    await this.process(chunk, valid, heartbeat);
    for (const { message, why } of poison) {
      await this.deadLetter(chunk, message, why.reason, why.error);
    }
  }

  private async process(
    chunk: RecordChunk,
    valid: readonly Valid[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    if (valid.length === 0) return;
    const offsets = `${valid[0]!.message.offset}-${valid.at(-1)!.message.offset}`;
    const processed = await processDelivered(
      this.processEvent,
      valid.map(({ event }) => event),
      this.redelivery,
      this.observers.logger,
      {
        where: { partition: chunk.partition, offsets },
        stopping: this.stopping,
        whileWaiting: heartbeat,
      },
    );
    switch (processed.kind) {
      case 'succeeded':
        valid.forEach(({ message, event }, i) =>
          reportSettled(this.observers, event, processed.value[i]!, {
            partition: chunk.partition,
            offset: message.offset,
            requestId: message.headers?.[REQUEST_ID_HEADER]?.toString(),
          }),
        );
        return;
      case 'exhausted':
        for (const { message } of valid) {
          await this.deadLetter(chunk, message, 'retries-exhausted', processed.lastError.detail);
        }
        return;
      case 'interrupted':
        // Rejecting keeps the offsets uncommitted: the records are delivered again after restart.
        throw new Error(`processing of offsets ${offsets} interrupted by shutdown`);
    }
  }

  private async deadLetter(
    { topic, partition }: RecordChunk,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: string,
  ): Promise<void> {
    const written = await this.deadLetters.publish({
      key: message.key,
      value: message.value,
      headers: headersAsText(message.headers),
      reason,
      error,
      origin: { topic, partition, offset: message.offset },
    })();
    if (isLeft(written)) {
      throw new Error(`dead letter for offset ${message.offset} not written: ${written.left._tag}`);
    }
    this.observers.metrics.eventDeadLettered(reason);
    this.observers.logger.warn(
      { partition, offset: message.offset, reason, error },
      'record dead-lettered',
    );
  }
}
