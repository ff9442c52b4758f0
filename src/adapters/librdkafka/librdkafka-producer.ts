import type { Producer, ProducerGlobalConfig } from '@confluentinc/kafka-javascript';
import type { Logger } from 'pino';
import type { ClientProducer, KafkaClientSettings } from '../kafka/kafka-client';
import type { RecordWrites, TopicWrites } from '../kafka/record-writes';
import { DeliveredWrites, type Delivered } from './delivered-writes';
import type { Librdkafka } from './librdkafka-library';
import { librdkafkaSecurity } from './librdkafka-security';
import { isConnectionTrouble, type KafkaTrouble } from '../kafka/connection-trouble';

export interface DeliverySettings {
  /** How long librdkafka tries to deliver a record (message.timeout.ms): the publish deadline. */
  readonly deliveryTimeoutMs: number;
}

// How often librdkafka reports its brokers' states, from which `isUp` is read.
const STATISTICS_INTERVAL_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

/** The brokers' states in one of librdkafka's statistics reports. */
interface Statistics {
  readonly brokers?: Readonly<Record<string, { readonly nodeid: number; readonly state: string }>>;
}

/**
 * librdkafka's producer, idempotent: acks from all in-sync replicas, up to five requests in
 * flight per broker with their order kept through retries, and no duplicate from a retry
 * (docs/adr/0013). Delivery reports are polled on librdkafka's own thread.
 */
export class LibrdkafkaProducer implements ClientProducer {
  private readonly producer: Producer;
  private up = false;
  private connected: Promise<void> | undefined;

  constructor(
    library: Librdkafka,
    settings: KafkaClientSettings,
    delivery: DeliverySettings,
    logger: Logger,
    { trouble, reportTrouble }: { trouble: KafkaTrouble; reportTrouble: (failure: Error) => void },
  ) {
    const config: ProducerGlobalConfig = {
      'bootstrap.servers': settings.brokers.join(','),
      'client.id': settings.clientId,
      dr_cb: true,
      'enable.idempotence': true,
      // librdkafka's default 5 ms held every request that long: 144 single POSTs/s at one
      // connection against 1,600-1,900 at 0 (wrk, this machine). Records still share requests:
      // those queued while five requests are in flight go out together.
      'linger.ms': 0,
      'socket.connection.setup.timeout.ms': 3000,
      'statistics.interval.ms': STATISTICS_INTERVAL_MS,
      ...librdkafkaSecurity(settings.security),
    };
    // Java's and kafkajs' murmur2 on the key: one user lands on the same partition either way.
    this.producer = new library.Producer(config, {
      partitioner: 'murmur2_random',
      'message.timeout.ms': delivery.deliveryTimeoutMs,
    });
    this.producer.on('delivery-report', (error, report) =>
      (report.opaque as Delivered)(error, report),
    );
    this.producer.on('event.stats', ({ message }) => {
      const up = brokerUp(JSON.parse(message) as Statistics);
      if (up && !this.up) trouble.clear();
      this.up = up;
    });
    // librdkafka reports a failure to reach the cluster at each of its own attempts.
    this.producer.on('event.error', (error) => {
      if (isConnectionTrouble(error))
        reportTrouble(Object.assign(new Error(error.message), { code: error.code }));
      else logger.warn({ err: error, code: error.code }, 'librdkafka producer error');
    });
    this.producer.on('disconnected', () => (this.up = false));
  }

  /** Connects once; a failed attempt may be made again. */
  connect(): Promise<void> {
    this.connected ??= new Promise<void>((resolve, reject) =>
      this.producer.connect({ timeout: CONNECT_TIMEOUT_MS }, (error) =>
        error ? reject(error) : resolve(),
      ),
    ).then(
      () => {
        this.up = true;
        this.producer.setPollInBackground(true);
      },
      (error: unknown) => {
        this.connected = undefined;
        throw error;
      },
    );
    return this.connected;
  }

  /** Delivers what is queued, within the delivery timeout, then closes the connections. */
  async disconnect(): Promise<void> {
    if (this.connected === undefined) return;
    await this.connected.catch(() => undefined);
    if (!this.producer.isConnected()) return;
    await new Promise<void>((resolve) => this.producer.flush(10_000, () => resolve()));
    await new Promise<void>((resolve) => this.producer.disconnect(() => resolve()));
    this.connected = undefined;
  }

  isUp(): boolean {
    return this.up;
  }

  writesTo(settings: TopicWrites): RecordWrites {
    return new DeliveredWrites(
      (topic, value, key, headers, delivered) =>
        this.producer.produce(topic, null, value, key, null, delivered, headers),
      settings,
    );
  }

  /** How many brokers the cluster has, from the metadata of a connected producer. */
  async brokerCount(): Promise<number> {
    await this.connect();
    return new Promise((resolve, reject) =>
      this.producer.getMetadata({ timeout: CONNECT_TIMEOUT_MS }, (error, metadata) =>
        error ? reject(error) : resolve(metadata.brokers.length),
      ),
    );
  }
}

/** Some broker of the cluster (not a bootstrap address, whose id is -1) is connected. */
const brokerUp = (statistics: Statistics): boolean =>
  Object.values(statistics.brokers ?? {}).some(
    (broker) => broker.nodeid >= 0 && broker.state === 'UP',
  );
