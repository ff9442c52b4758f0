import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchPayload, GroupMember, GroupMemberSettings } from '../kafka/kafka-client';
import { withDeadline } from '../kafka/with-deadline';

/**
 * A kafkajs consumer as a group member: its instrumentation events say whether it holds
 * partitions, and a crash it will not restart from is fatal, or the member would stall silently.
 */
export class KafkajsGroupMember implements GroupMember {
  private assigned = false;
  private leaving = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly settings: Pick<
      GroupMemberSettings,
      'topic' | 'concurrentPartitions' | 'commitIntervalMs' | 'onFatal'
    >,
    logger: Logger,
  ) {
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.assigned = (payload.memberAssignment[settings.topic]?.length ?? 0) > 0;
    });
    for (const event of [CRASH, STOP, DISCONNECT])
      consumer.on(event, () => (this.assigned = false));
    consumer.on(CRASH, ({ payload }) => {
      logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      if (!payload.restart && !this.leaving) settings.onFatal(payload.error);
    });
  }

  async run(eachBatch: (payload: BatchPayload) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.settings.topic], fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.settings.concurrentPartitions,
      autoCommitInterval: this.settings.commitIntervalMs,
      eachBatchAutoResolve: false,
      eachBatch,
    });
  }

  isAssigned(): boolean {
    return this.assigned;
  }

  awaitAssignment(timeoutMs: number): Promise<boolean> {
    if (this.assigned) return Promise.resolve(true);
    const joined = new Promise<boolean>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve(this.assigned)),
    );
    return withDeadline(joined, timeoutMs, () => false);
  }

  async leave(): Promise<void> {
    this.leaving = true;
    await this.consumer.disconnect();
  }
}
