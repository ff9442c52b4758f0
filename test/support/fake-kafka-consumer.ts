import { EventEmitter } from 'node:events';
import type { Batch, Consumer, ConsumerRunConfig, EachBatchPayload, KafkaMessage } from 'kafkajs';

export const CONSUMER_EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  CRASH: 'consumer.crash',
  STOP: 'consumer.stop',
  DISCONNECT: 'consumer.disconnect',
} as const;

/** What a test hands to the adapter as one delivered record. */
export interface Delivered {
  readonly value: string | Buffer | null;
  readonly offset: string;
  readonly key?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const messageOf = (record: Delivered): KafkaMessage =>
  ({
    key: record.key === undefined ? null : Buffer.from(record.key),
    value: typeof record.value === 'string' ? Buffer.from(record.value) : record.value,
    offset: record.offset,
    timestamp: String(Date.now()),
    attributes: 0,
    headers: Object.fromEntries(
      Object.entries(record.headers ?? {}).map(([name, text]) => [name, Buffer.from(text)]),
    ),
  }) as KafkaMessage;

/**
 * Just enough of a kafkajs consumer for the adapter: it emits instrumentation events on demand
 * and delivers batches of records to the `eachBatch` handler the adapter registered, as kafkajs
 * would. It remembers the offsets the adapter resolved: those kafkajs would commit.
 */
export function fakeConsumer() {
  const emitter = new EventEmitter();
  let handler: ConsumerRunConfig['eachBatch'];
  let running = true;
  const resolved: string[] = [];
  const heartbeats = { count: 0 };
  const consumer = {
    events: CONSUMER_EVENTS,
    on: (event: string, listener: (e: { payload: object }) => void) => emitter.on(event, listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (config: ConsumerRunConfig) => void (handler = config.eachBatch),
    disconnect: async () => void (running = false),
  };
  return {
    consumer: consumer as unknown as Consumer,
    heartbeats,
    /** The offsets resolved so far, in order: kafkajs commits up to the last one. */
    resolved,
    emit: (event: string, payload: object) => emitter.emit(event, { payload }),
    deliver: (topic: string, partition: number, records: readonly Delivered[]): Promise<void> => {
      if (handler === undefined) throw new Error('the adapter has not started consuming');
      const payload = {
        batch: { topic, partition, messages: records.map(messageOf) } as unknown as Batch,
        resolveOffset: (offset: string) => void resolved.push(offset),
        heartbeat: async () => void (heartbeats.count += 1),
        commitOffsetsIfNecessary: async () => undefined,
        uncommittedOffsets: () => ({ topics: [] }),
        isRunning: () => running,
        isStale: () => false,
        pause: () => () => undefined,
      } satisfies EachBatchPayload;
      return handler(payload);
    },
  };
}
