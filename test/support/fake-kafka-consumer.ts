import { EventEmitter } from 'node:events';
import type { Consumer, ConsumerRunConfig, EachMessagePayload, KafkaMessage } from 'kafkajs';

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

/**
 * Just enough of a kafkajs consumer for the adapter: it emits instrumentation events on demand
 * and delivers records to the `eachMessage` handler the adapter registered, as kafkajs would.
 * kafkajs commits a record's offset only when that call resolves; a rejection keeps it.
 */
export function fakeConsumer() {
  const emitter = new EventEmitter();
  let handler: ConsumerRunConfig['eachMessage'];
  const heartbeats = { count: 0 };
  const consumer = {
    events: CONSUMER_EVENTS,
    on: (event: string, listener: (e: { payload: object }) => void) => emitter.on(event, listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (config: ConsumerRunConfig) => void (handler = config.eachMessage),
    disconnect: async () => undefined,
  };
  return {
    consumer: consumer as unknown as Consumer,
    heartbeats,
    emit: (event: string, payload: object) => emitter.emit(event, { payload }),
    deliver: (topic: string, partition: number, record: Delivered): Promise<void> => {
      if (handler === undefined) throw new Error('the adapter has not started consuming');
      const message = {
        key: record.key === undefined ? null : Buffer.from(record.key),
        value: typeof record.value === 'string' ? Buffer.from(record.value) : record.value,
        offset: record.offset,
        timestamp: String(Date.now()),
        attributes: 0,
        headers: Object.fromEntries(
          Object.entries(record.headers ?? {}).map(([name, text]) => [name, Buffer.from(text)]),
        ),
      } as KafkaMessage;
      const payload = {
        topic,
        partition,
        message,
        heartbeat: async () => void (heartbeats.count += 1),
        pause: () => () => undefined,
      } satisfies EachMessagePayload;
      return handler(payload);
    },
  };
}
