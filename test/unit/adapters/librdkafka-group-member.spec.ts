import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import sinon from 'sinon';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { LibrdkafkaGroupMember } from '../../../src/adapters/librdkafka/librdkafka-group-member';

/** The library's KafkaJS-style consumer, with the native client its errors come from. */
function fakeLibrary() {
  const native = new EventEmitter();
  const consumer = {
    connect: sinon.stub().resolves(),
    subscribe: sinon.stub().resolves(),
    run: sinon.stub().resolves(),
    disconnect: sinon.stub().resolves(),
    _getInternalClient: () => native,
  };
  const kafka = { consumer: () => consumer } as unknown as KafkaJS.Kafka;
  return { kafka, native };
}

async function runningMember() {
  const { kafka, native } = fakeLibrary();
  const onFatal = sinon.spy();
  const member = new LibrdkafkaGroupMember(kafka, {
    groupId: 'group',
    topic: 'user-events',
    sessionTimeoutMs: 10_000,
    concurrentPartitions: 1,
    commitIntervalMs: 1000,
    onFatal,
  });
  await member.run(async () => undefined);
  const error = (isFatal: boolean) =>
    native.emit('event.error', Object.assign(new Error('fenced'), { code: -150, isFatal }));
  return { member, onFatal, error };
}

describe('a librdkafka group member', () => {
  it('reports a fatal error of the native consumer as fatal', async () => {
    const { onFatal, error } = await runningMember();
    error(true);
    expect(onFatal.calledOnce).to.equal(true);
    expect(onFatal.firstCall.args[0]).to.have.property('message', 'fenced');
  });

  it('leaves every other error to librdkafka, which retries it', async () => {
    const { onFatal, error } = await runningMember();
    error(false);
    expect(onFatal.called).to.equal(false);
  });

  it('reports nothing as fatal once it is leaving the group', async () => {
    const { member, onFatal, error } = await runningMember();
    await member.leave();
    error(true);
    expect(onFatal.called).to.equal(false);
  });
});
