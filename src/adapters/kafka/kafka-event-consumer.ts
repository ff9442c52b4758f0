import { isLeft } from 'fp-ts/Either';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import type { ProcessEvent } from '../../application/process-event';
import type {
  DeadLetterPublisher,
  DeadLetterReason,
} from '../../application/dead-letter-publisher.port';
import type { BackoffPolicy } from '../shared/capped-backoff';
import { processDelivered } from '../shared/delivered-event';
import { reportSettled, type EventObservers } from '../shared/settlement-report';
import { withDeadline } from './deadline';
import { REQUEST_ID_HEADER } from '../shared/request-id-header';
import { fromRecordValue, headersAsText } from './user-event-record';

const COMMIT_EVERY_RECORDS = 100;

type DeliveredRecord = Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>;

export interface KafkaConsumeSettings {
  readonly topic: string;
  /** Partitions processed at once; records within one partition are always processed in order. */
  readonly concurrentPartitions: number;
  readonly redelivery: BackoffPolicy;
  /** Called when the consumer crashed and kafkajs will not restart it: it would stall silently. */
  readonly onFatal: (error: Error) => void;
}

/**
 * Feeds every record of the topic to ProcessEvent. A record's offset is committed only after it
 * was processed, found to be a duplicate, or written to the DLQ; poison goes to the DLQ at once.
 */
export class KafkaEventConsumer {
  private assigned = false;
  private running = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly consumer: Consumer,
    private readonly processEvent: ProcessEvent,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly settings: KafkaConsumeSettings,
    private readonly observers: EventObservers,
  ) {
    const { logger } = observers;
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
      // kafkajs commits at the end of each fetched batch by default, which can be thousands of
      // records: a process killed mid-batch then gets them all again. Committing every 100 keeps
      // that redelivery small at the price of a commit request per 100 records.
      autoCommitThreshold: COMMIT_EVERY_RECORDS,
      eachMessage: (payload) => this.handle(payload),
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

  /** Finishes the records in hand, commits their offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private async handle({
    topic,
    partition,
    message,
    heartbeat,
  }: EachMessagePayload): Promise<void> {
    const record = { topic, partition, message };
    const decoded = fromRecordValue(message.value);
    if (isLeft(decoded)) return this.deadLetter(record, decoded.left.reason, decoded.left.error);
    const event = decoded.right;
    const where = {
      partition,
      offset: message.offset,
      requestId: headersAsText(message.headers)[REQUEST_ID_HEADER],
    };
    const processed = await processDelivered(
      this.processEvent,
      event,
      this.settings.redelivery,
      this.observers.logger,
      { where, stopping: this.stopping.signal, whileWaiting: heartbeat },
    );
    switch (processed.kind) {
      case 'succeeded':
        return reportSettled(this.observers, event, processed.value, where);
      case 'exhausted':
        return this.deadLetter(record, 'retries-exhausted', processed.lastError.detail);
      case 'interrupted':
        // Throwing keeps the offset uncommitted, so the record is delivered again after restart.
        throw new Error(`processing of ${event.eventId} interrupted by shutdown`);
    }
  }

  private async deadLetter(
    { topic, partition, message }: DeliveredRecord,
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
