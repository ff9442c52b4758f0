import * as E from 'fp-ts/Either';
import type {
  DeliveryReport,
  LibrdKafkaError,
  MessageHeader,
} from '@confluentinc/kafka-javascript';
import type { PublishFailure } from '../../application/event-publisher.port';
import type { RecordLocation } from '../../application/record-location';
import {
  DeadlinePassed,
  publishFailureOf,
  TooManyPending,
  type RecordWrites,
  type TopicWrites,
} from '../kafka/record-writes';
import type { HeaderValues, OutgoingRecord } from '../kafka/user-event-record';

/** What one produced record's delivery report is handed to, as the record's opaque. */
export type Delivered = (error: LibrdKafkaError | null, report: DeliveryReport) => void;

/** librdkafka's `produce`, bound to a connected producer. */
export type Produce = (
  topic: string,
  value: Buffer | null,
  key: string | Buffer | null,
  headers: MessageHeader[],
  delivered: Delivered,
) => void;

/** librdkafka's code for a record not delivered within message.timeout.ms. */
const MESSAGE_TIMED_OUT = -192;

const bytesOf = (value: string | Buffer | null): Buffer | null =>
  typeof value === 'string' ? Buffer.from(value) : value;

/** Every value of every name, in order, as librdkafka takes headers: one entry per value. */
const headersOf = (headers: HeaderValues): MessageHeader[] =>
  Object.entries(headers).flatMap(([name, value]) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).map((one) => ({ [name]: one })),
  );

/**
 * Writes to one topic record by record: librdkafka batches them into produce requests itself,
 * keeps each partition's order with its idempotent producer, and retries within the delivery
 * timeout (docs/adr/0013). Each record's own delivery report says where it was written. A write
 * is answered at its deadline even when reports are late; its records count as pending until
 * they are reported, so that a broker slower than the deadline still sheds load.
 */
export class DeliveredWrites implements RecordWrites {
  private pendingRecords = 0;

  constructor(
    private readonly produce: Produce,
    private readonly settings: TopicWrites,
  ) {}

  write(
    records: readonly OutgoingRecord[],
  ): Promise<E.Either<PublishFailure, readonly RecordLocation[]>> {
    const { maxPendingRecords, timeoutMs } = this.settings;
    const pending = this.pendingRecords;
    if (pending > 0 && pending + records.length > maxPendingRecords)
      return Promise.resolve(E.left(publishFailureOf(new TooManyPending(), maxPendingRecords)));
    return new Promise((answer) => {
      const failed = (cause: unknown) => answer(E.left(publishFailureOf(cause, maxPendingRecords)));
      const deadline = setTimeout(() => failed(new DeadlinePassed(timeoutMs)), timeoutMs);
      const locations: RecordLocation[] = [];
      let reported = 0;
      let failure: unknown;
      const settle = (count: number) => {
        reported += count;
        this.pendingRecords -= count;
        if (reported < records.length) return;
        clearTimeout(deadline);
        if (failure === undefined) answer(E.right(locations));
        else failed(failure);
      };
      this.pendingRecords += records.length;
      for (const [i, record] of records.entries()) {
        try {
          this.produce(
            this.settings.topic,
            bytesOf(record.value),
            record.key ?? null,
            headersOf(record.headers ?? {}),
            (error, report) => {
              if (error !== null)
                failure ??=
                  error.code === MESSAGE_TIMED_OUT ? new DeadlinePassed(timeoutMs) : error;
              else locations[i] = { partition: report.partition, offset: String(report.offset) };
              settle(1);
            },
          );
        } catch (cause) {
          // Refused before it was queued (not connected, or the local queue is full): neither
          // this record nor the ones after it will be reported.
          failure ??= cause;
          settle(records.length - i);
          break;
        }
      }
    });
  }
}
