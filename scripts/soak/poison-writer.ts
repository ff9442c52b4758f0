import { setTimeout as sleep } from 'node:timers/promises';
import type { Message, Producer } from 'kafkajs';
import { benchKafka } from '../bench/pipeline/group-lag';

/** A poison's value: not JSON, so the service dead-letters it as `malformed`; `n` tells them apart. */
export const poisonValue = (tag: string, n: number): string => `soak-poison ${tag} ${n}`;

/** The `n` of one of this run's poison values; undefined for any other value. */
export function poisonNumber(tag: string, value: string): number | undefined {
  const match = /^soak-poison ([0-9a-f]{8}) (\d+)$/.exec(value);
  return match?.[1] === tag ? Number(match[2]) : undefined;
}

/**
 * Writes records the service cannot process straight to its topic, behind its back (acks -1),
 * one per `every` events sent, one send at a time. A send that fails is sent again with the same
 * values, so a poison that was written though its acknowledgement was lost shows on the DLQ as
 * the same poison twice, never as an extra one.
 */
export class PoisonWriter {
  private producer: Producer | undefined;
  private due = 0;
  private acknowledged = 0;
  private events = 0;
  private readonly queue: number[] = [];
  private pumping: Promise<void> | undefined;

  constructor(
    private readonly brokers: readonly string[],
    private readonly topic: string,
    private readonly tag: string,
    private readonly every: number,
    private readonly users: number,
  ) {}

  async connect(): Promise<void> {
    this.producer = benchKafka(this.brokers, 'soak-poison').producer({
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
  }

  /** `count` more events were sent: a poison for each multiple of `every` they pass. */
  eventsSent(count: number): void {
    const before = Math.floor(this.events / this.every);
    this.events += count;
    const more = Math.floor(this.events / this.every) - before;
    if (more <= 0) return;
    for (let n = this.due; n < this.due + more; n += 1) this.queue.push(n);
    this.due += more;
    this.pumping ??= this.pump();
  }

  /** Poisons the broker acknowledged. */
  get sent(): number {
    return this.acknowledged;
  }

  /** Waits until every poison due was acknowledged; then disconnects. */
  async close(): Promise<void> {
    await this.pumping;
    await this.producer?.disconnect();
  }

  /** Sends what is queued, up to 500 a send, until nothing is. */
  private async pump(): Promise<void> {
    while (this.queue.length > 0) await this.write(this.queue.splice(0, 500));
    this.pumping = undefined;
  }

  private async write(numbers: readonly number[]): Promise<void> {
    const producer = this.producer;
    if (producer === undefined) throw new Error('the poison writer is not connected');
    const messages: Message[] = numbers.map((n) => ({
      key: `user-${n % this.users}`,
      value: poisonValue(this.tag, n),
    }));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await producer.send({ topic: this.topic, acks: -1, messages });
        this.acknowledged += numbers.length;
        return;
      } catch (error) {
        if (attempt % 10 === 1)
          console.error(`poison write failed (attempt ${attempt}), again: ${String(error)}`);
        await sleep(1000);
      }
    }
  }
}
