import type { Producer } from 'kafkajs';
import type { KafkaTrouble } from '../kafka/connection-trouble';

/**
 * Whether a producer holds a connection to the cluster, as its own connect and disconnect events
 * say. Made before the producer connects, so that it sees the first connect; a connection
 * ends whatever trouble there was.
 */
export class ProducerConnection {
  private up = false;

  constructor(producer: Producer, trouble: KafkaTrouble) {
    producer.on(producer.events.CONNECT, () => {
      this.up = true;
      trouble.clear();
    });
    producer.on(producer.events.DISCONNECT, () => (this.up = false));
  }

  isUp(): boolean {
    return this.up;
  }
}
