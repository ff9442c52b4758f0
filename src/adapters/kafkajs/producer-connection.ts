import type { Producer } from 'kafkajs';

/**
 * Whether a producer holds a connection to the cluster, as its own connect and disconnect events
 * say. Made before the producer connects, so that it sees the first connect.
 */
export class ProducerConnection {
  private up = false;

  constructor(producer: Producer) {
    producer.on(producer.events.CONNECT, () => (this.up = true));
    producer.on(producer.events.DISCONNECT, () => (this.up = false));
  }

  isUp(): boolean {
    return this.up;
  }
}
