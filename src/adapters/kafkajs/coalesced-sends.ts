import * as E from 'fp-ts/Either';
import type { Producer, RecordMetadata } from 'kafkajs';
import type { RecordLocation } from '../../application/record-location';
import type { PublishFailure } from '../../application/event-publisher.port';
import { retryWithBackoff, type BackoffPolicy } from '../shared/retry-with-backoff';
import { asError } from '../shared/error-message';
import {
  DeadlinePassed,
  publishFailureOf,
  TooManyPending,
  type RecordWrites,
  type TopicWrites,
} from '../kafka/record-writes';
import { recordBytes, type OutgoingRecord } from '../kafka/user-event-record';
import type { ChosenPartitions } from './kafkajs-setup';

export interface CoalescingLimits {
  /** Records in one produce request, unless a single caller brings more. */
  readonly maxRecords: number;
  /** Bytes of keys, values and headers in one request, likewise. */
  readonly maxBytes: number;
  /**
   * Records waiting or with the broker, beyond which a write is refused at once (unless nothing
   * waits): under overload the service sheds load instead of holding ever more of it in memory.
   */
  readonly maxPendingRecords: number;
}

interface Waiting {
  readonly messages: readonly OutgoingRecord[];
  readonly bytes: number;
  /** When the caller stops waiting: a write not sent by then is not sent at all. */
  readonly giveUpAt: number;
  readonly giveUpAfterMs: number;
  /** The write is done with, written or not; its caller may have been answered before. */
  readonly acknowledged: (locations: readonly RecordLocation[]) => void;
  readonly failed: (error: Error) => void;
}

/**
 * Writes to one topic through one producer, one produce request at a time: while a request is
 * with the broker, the writes asked for meanwhile wait and then go together in the next one. At
 * low load a write leaves at once; under load a request carries many callers' records, instead of
 * each caller queueing a round trip of its own. A caller's records are never split across
 * requests, keep their order, and are answered only by their own request: acknowledged (acks from
 * all in-sync replicas), or failed with its error. With one request at a time, records of one
 * key stay in the order they were asked for, through retries too. Each write has a deadline, the
 * one of the service's publishing: its caller is answered DeadlinePassed then, a request is not
 * sent again past its earliest one, and the broker is asked to answer within the time left.
 *
 * The retries are this class's, not kafkajs': the producer must be made with none (retries: 0).
 * kafkajs 2.2.4 retries a request that spans several brokers only towards the brokers that have
 * not answered yet; when a partition's new leader is a broker that already answered for its own
 * partitions, that partition's records are never sent again, and the send resolves as if they
 * had been written (tulios/kafkajs#1303, #1798; the cluster fault tests lost acknowledged events
 * to it). A whole request sent again may write some records twice; they carry their eventIds,
 * and processing is idempotent by eventId.
 */
export class CoalescedSends {
  private readonly waiting: Waiting[] = [];
  private sending = false;
  private pendingRecords = 0;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly limits: CoalescingLimits,
    /** How a failed request is sent again, up to its earliest deadline. */
    private readonly resends: BackoffPolicy,
    private readonly partitions: ChosenPartitions,
    // Deadlines are durations: measured on the monotonic clock, which the wall clock's steps
    // (Clock.now) neither stretch nor cut short.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Resolves once the broker acknowledged `messages`, with where each one was written, in their
   * order; rejects if their request failed, with TooManyPending at once under overload, or with
   * DeadlinePassed when not acknowledged within `giveUpAfterMs`.
   */
  send(
    messages: readonly OutgoingRecord[],
    bytes: number,
    giveUpAfterMs: number,
  ): Promise<readonly RecordLocation[]> {
    const pending = this.pendingRecords;
    if (pending > 0 && pending + messages.length > this.limits.maxPendingRecords) {
      return Promise.reject(new TooManyPending(`${pending} records are waiting for the broker`));
    }
    this.pendingRecords += messages.length;
    return new Promise<readonly RecordLocation[]>((acknowledged, failed) => {
      // The caller is answered at its deadline; the records count as pending until their
      // request is done with them, so that a broker slower than the deadline still sheds load.
      const deadline = setTimeout(() => failed(new DeadlinePassed(giveUpAfterMs)), giveUpAfterMs);
      const done = () => {
        clearTimeout(deadline);
        this.pendingRecords -= messages.length;
      };
      this.waiting.push({
        messages,
        bytes,
        giveUpAt: this.now() + giveUpAfterMs,
        giveUpAfterMs,
        acknowledged: (locations) => (done(), acknowledged(locations)),
        failed: (error) => (done(), failed(error)),
      });
      this.sendNext();
    });
  }

  /**
   * `send` within the publish deadline `timeoutMs`, answered as a publisher answers: Left
   * Overloaded, PublishTimedOut or BrokerUnavailable.
   */
  write(
    messages: readonly OutgoingRecord[],
    timeoutMs: number,
  ): Promise<E.Either<PublishFailure, readonly RecordLocation[]>> {
    const bytes = messages.reduce((total, message) => total + recordBytes(message), 0);
    return this.send(messages, bytes, timeoutMs).then(
      (locations) => E.right(locations),
      (cause: unknown) => E.left(publishFailureOf(cause, this.limits.maxPendingRecords)),
    );
  }

  private sendNext(): void {
    if (this.sending) return;
    const request = this.nextRequest();
    if (request.length === 0) return;
    this.sending = true;
    void this.deliver(request).finally(() => {
      this.sending = false;
      this.sendNext();
    });
  }

  /** Sends the request until it is acknowledged, or until one of its callers stops waiting. */
  private async deliver(request: readonly Waiting[]): Promise<void> {
    const messages = request.flatMap((write) => write.messages);
    const giveUpAt = Math.min(...request.map((write) => write.giveUpAt));
    const sent = await retryWithBackoff(
      () =>
        this.producer
          .send({
            topic: this.topic,
            acks: -1,
            timeout: Math.max(1, giveUpAt - this.now()),
            messages,
          })
          .then(E.right, (cause: unknown) => E.left(asError(cause))),
      { ...this.resends, giveUpAt },
      { now: this.now },
    );
    if (sent.kind === 'succeeded') this.answer(request, messages, sent.value);
    else {
      const error = sent.kind === 'exhausted' ? sent.lastError : new Error('not sent');
      request.forEach((write) => write.failed(error));
    }
  }

  /** Each write of an acknowledged request gets its records' locations. */
  private answer(
    request: readonly Waiting[],
    messages: readonly OutgoingRecord[],
    written: readonly RecordMetadata[],
  ): void {
    let locations: RecordLocation[];
    try {
      locations = this.locate(messages, written);
    } catch (cause) {
      // Written, but not known where: the callers are told it failed, and a retry of theirs
      // writes a second copy, which processing takes for a duplicate.
      request.forEach((write) => write.failed(asError(cause)));
      return;
    }
    let from = 0;
    for (const write of request) {
      write.acknowledged(locations.slice(from, from + write.messages.length));
      from += write.messages.length;
    }
  }

  /**
   * Where each message of an acknowledged request was written: the broker appends one
   * partition's records of a request in their order from the base offset it answers with.
   */
  private locate(
    messages: readonly OutgoingRecord[],
    written: readonly RecordMetadata[],
  ): RecordLocation[] {
    const next = new Map(written.map((one) => [one.partition, BigInt(one.baseOffset ?? -1)]));
    return messages.map((message) => {
      const partition = this.partitions.of(message);
      const offset = partition === undefined ? undefined : next.get(partition);
      if (partition === undefined || offset === undefined || offset < 0n)
        throw new Error(`the broker's answer does not say where a record was written`);
      next.set(partition, offset + 1n);
      return { partition, offset: String(offset) };
    });
  }

  /** The writes that fit in the next request, in the order they were asked for. */
  private nextRequest(): Waiting[] {
    const request: Waiting[] = [];
    let records = 0;
    let bytes = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (next.giveUpAt <= this.now()) {
        // Its caller was told the write timed out: sending it now would only add a duplicate.
        this.waiting.shift();
        next.failed(new DeadlinePassed(next.giveUpAfterMs));
        continue;
      }
      const fits =
        records + next.messages.length <= this.limits.maxRecords &&
        bytes + next.bytes <= this.limits.maxBytes;
      if (request.length > 0 && !fits) break;
      request.push(this.waiting.shift()!);
      records += next.messages.length;
      bytes += next.bytes;
    }
    return request;
  }
}

/** The writes to one topic, coalesced into requests bounded by `maxRequest`. */
export const coalescedWritesTo = (
  producer: Producer,
  partitions: ChosenPartitions,
  settings: TopicWrites,
  maxRequest: { readonly records: number; readonly bytes: number },
): RecordWrites => {
  const sends = new CoalescedSends(
    producer,
    settings.topic,
    {
      maxRecords: maxRequest.records,
      maxBytes: maxRequest.bytes,
      maxPendingRecords: settings.maxPendingRecords,
    },
    settings.resends,
    partitions,
  );
  return { write: (records) => sends.write(records, settings.timeoutMs) };
};
