import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import sinon from 'sinon';
import * as TE from 'fp-ts/TaskEither';
import pino from 'pino';
import type { Consumer } from 'kafkajs';
import { KafkaEventConsumer } from '../../../src/adapters/kafka/kafka-event-consumer';
import { ProcessEvent } from '../../../src/application/process-event';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { PrometheusMetrics } from '../../../src/adapters/prometheus/prometheus-metrics';

const EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  CRASH: 'consumer.crash',
  STOP: 'consumer.stop',
  DISCONNECT: 'consumer.disconnect',
} as const;

/** Just enough of a kafkajs consumer to emit its instrumentation events. */
function fakeConsumer(): { consumer: Consumer; emit: (event: string, payload: object) => void } {
  const emitter = new EventEmitter();
  const consumer = {
    events: EVENTS,
    on: (event: string, listener: (e: { payload: object }) => void) => emitter.on(event, listener),
    disconnect: async () => undefined,
  };
  return {
    consumer: consumer as unknown as Consumer,
    emit: (event, payload) => emitter.emit(event, { payload }),
  };
}

describe('KafkaEventConsumer when kafkajs crashes', () => {
  const crash = (restart: boolean) => ({ error: new Error('group coordinator gone'), restart });

  function consumerWatching() {
    const { consumer, emit } = fakeConsumer();
    const onFatal = sinon.spy();
    const adapter = new KafkaEventConsumer(
      consumer,
      new ProcessEvent(new InMemoryProcessedEventStore(10)),
      { publish: () => TE.right(undefined) },
      {
        topic: 'events',
        concurrentPartitions: 1,
        redelivery: { firstDelayMs: 1, maxDelayMs: 1, maxAttempts: undefined },
        onFatal,
      },
      { logger: pino({ level: 'silent' }), metrics: new PrometheusMetrics() },
    );
    emit(EVENTS.GROUP_JOIN, { memberAssignment: { events: [0, 1] } });
    return { adapter, emit, onFatal };
  }

  it('reports a crash that kafkajs will not restart as fatal, and is no longer assigned', () => {
    const { adapter, emit, onFatal } = consumerWatching();
    expect(adapter.isAssigned()).to.equal(true);
    emit(EVENTS.CRASH, crash(false));
    expect(onFatal.calledOnce).to.equal(true);
    expect(onFatal.firstCall.args[0]).to.be.instanceOf(Error);
    expect(adapter.isAssigned()).to.equal(false);
  });

  it('leaves a crash that kafkajs restarts to kafkajs', () => {
    const { emit, onFatal } = consumerWatching();
    emit(EVENTS.CRASH, crash(true));
    expect(onFatal.called).to.equal(false);
  });

  it('does not report a crash during its own shutdown', async () => {
    const { adapter, emit, onFatal } = consumerWatching();
    await adapter.stop();
    emit(EVENTS.CRASH, crash(false));
    expect(onFatal.called).to.equal(false);
  });
});
