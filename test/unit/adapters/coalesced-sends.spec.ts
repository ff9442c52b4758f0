import { expect } from 'chai';
import sinon from 'sinon';
import type { Message, Producer, ProducerRecord } from 'kafkajs';
import { CoalescedSends } from '../../../src/adapters/kafkajs/coalesced-sends';
import { DeadlinePassed, TooManyPending } from '../../../src/adapters/kafka/record-writes';
import { ChosenPartitions } from '../../../src/adapters/kafkajs/kafkajs-setup';
import { PRODUCE_RESENDS } from '../../../src/wiring/retry-policies';
import { eventually } from '../../support/eventually';

// One partition: kafkajs' default partitioner puts every record on it.
const ONE_PARTITION = [
  { partitionId: 0, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] },
];

/**
 * A producer whose requests the test answers one by one, in the order they were made, partitioned
 * as kafkajs does (through `partitions`), and acknowledged from offset 0 on as a broker would.
 */
function heldProducer() {
  const partitions = new ChosenPartitions();
  const choose = partitions.partitioner();
  const requests: Array<{
    record: ProducerRecord;
    answer: () => void;
    fail: (error: Error) => void;
  }> = [];
  let nextOffset = 0;
  const producer = {
    send: (record: ProducerRecord) => {
      for (const message of record.messages)
        choose({ topic: record.topic, partitionMetadata: ONE_PARTITION, message });
      return new Promise((answer, fail) =>
        requests.push({
          record,
          answer: () => {
            answer([
              {
                topicName: record.topic,
                partition: 0,
                errorCode: 0,
                baseOffset: String(nextOffset),
              },
            ]);
            nextOffset += record.messages.length;
          },
          fail,
        }),
      );
    },
  } as unknown as Producer;
  const values = (n: number) => requests[n]!.record.messages.map((message) => message.value);
  return { producer, partitions, requests, values };
}

const records = (...values: string[]): Message[] => values.map((value) => ({ key: 'k', value }));

/** Lets every callback of a settled request run (they are all queued already), then goes on. */
const callbacksRun = () => new Promise((resolve) => setImmediate(resolve));

/** Whether a promise settled (and how) by now, without waiting for it. */
async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'acknowledged' | 'failed'> {
  const settled = promise.then(
    () => 'acknowledged' as const,
    () => 'failed' as const,
  );
  return Promise.race([settled, callbacksRun().then(() => 'pending' as const)]);
}

const limits = { maxRecords: 4, maxBytes: 1000, maxPendingRecords: 100 };

describe('CoalescedSends', () => {
  it('sends a write at once when no request is with the broker', async () => {
    const { producer, partitions, requests, values } = heldProducer();
    const at = () => 0;
    const sends = new CoalescedSends(producer, 'events', limits, PRODUCE_RESENDS, partitions, at);
    const first = sends.send(records('a'), 1, 5000);
    expect(requests).to.have.length(1);
    expect(requests[0]!.record).to.deep.include({ topic: 'events', acks: -1, timeout: 5000 });
    expect(values(0)).to.deep.equal(['a']);
    requests[0]!.answer();
    expect(await stateOf(first)).to.equal('acknowledged');
  });

  it('sends the writes asked for during a request together, in order, in the next one', async () => {
    const { producer, partitions, requests, values } = heldProducer();
    const sends = new CoalescedSends(producer, 'events', limits, PRODUCE_RESENDS, partitions);
    const first = sends.send(records('a'), 1, 5000);
    const second = sends.send(records('b', 'c'), 2, 5000);
    const third = sends.send(records('d'), 1, 5000);
    expect(requests, 'one request with the broker at a time').to.have.length(1);
    requests[0]!.answer();
    await stateOf(first);
    expect(requests).to.have.length(2);
    expect(values(1)).to.deep.equal(['b', 'c', 'd']);
    expect(await stateOf(second), 'answered by its own request only').to.equal('pending');
    requests[1]!.answer();
    expect([await stateOf(second), await stateOf(third)]).to.deep.equal([
      'acknowledged',
      'acknowledged',
    ]);
  });

  it('fails exactly the writes of a request that failed when their deadline is too near to retry', async () => {
    const { producer, partitions, requests } = heldProducer();
    const sends = new CoalescedSends(producer, 'events', limits, PRODUCE_RESENDS, partitions);
    const first = sends.send(records('a'), 1, 5000);
    const second = sends.send(records('b'), 1, 50);
    const third = sends.send(records('c'), 1, 5000);
    requests[0]!.answer();
    await stateOf(first);
    requests[1]!.fail(new Error('broker gone'));
    expect([await stateOf(second), await stateOf(third)]).to.deep.equal(['failed', 'failed']);
    expect(requests, 'not sent again').to.have.length(2);
    const fourth = sends.send(records('d'), 1, 5000);
    requests[2]!.answer();
    expect(await stateOf(fourth), 'a later write is not touched').to.equal('acknowledged');
  });

  it('sends a failed request again, whole and in order, until it is acknowledged', async () => {
    const { producer, partitions, requests, values } = heldProducer();
    const sends = new CoalescedSends(producer, 'events', limits, PRODUCE_RESENDS, partitions);
    const first = sends.send(records('a', 'b'), 2, 5000);
    const second = sends.send(records('c'), 1, 5000);
    requests[0]!.fail(new Error('not the leader'));
    await eventually('the request sent again', () => requests[1] ?? undefined);
    expect(values(1)).to.deep.equal(['a', 'b']);
    expect(await stateOf(first), 'answered only once written').to.equal('pending');
    requests[1]!.answer();
    expect(await stateOf(first)).to.equal('acknowledged');
    await eventually('the next request', () => requests[2] ?? undefined);
    expect(values(2), 'after the retried one, never beside it').to.deep.equal(['c']);
    requests[2]!.answer();
    expect(await stateOf(second)).to.equal('acknowledged');
  });

  it('bounds a request by records and bytes, but never splits one caller', async () => {
    const { producer, partitions, requests, values } = heldProducer();
    const sends = new CoalescedSends(producer, 'events', limits, PRODUCE_RESENDS, partitions);
    const first = sends.send(records('a'), 1, 5000);
    void sends.send(records('b', 'c', 'd'), 3, 5000);
    void sends.send(records('e', 'f'), 2, 5000);
    void sends.send(records('g', 'h', 'i', 'j', 'k', 'l'), 6, 5000);
    void sends.send(records('m'), 999, 5000);
    requests[0]!.answer();
    await stateOf(first);
    requests[1]!.answer();
    await callbacksRun();
    requests[2]!.answer();
    await callbacksRun();
    requests[3]!.answer();
    await callbacksRun();
    expect([1, 2, 3, 4].map(values)).to.deep.equal([
      ['b', 'c', 'd'],
      ['e', 'f'],
      ['g', 'h', 'i', 'j', 'k', 'l'],
      ['m'],
    ]);
  });

  it('drops a write whose caller stopped waiting before it could be sent', async () => {
    const { producer, partitions, requests, values } = heldProducer();
    let now = 0;
    const sends = new CoalescedSends(
      producer,
      'events',
      limits,
      PRODUCE_RESENDS,
      partitions,
      () => now,
    );
    const first = sends.send(records('a'), 1, 5000);
    const late = sends.send(records('b'), 1, 100);
    const onTime = sends.send(records('c'), 1, 5000);
    now = 200;
    requests[0]!.answer();
    await stateOf(first);
    expect(await stateOf(late)).to.equal('failed');
    expect(values(1)).to.deep.equal(['c']);
    requests[1]!.answer();
    expect(await stateOf(onTime)).to.equal('acknowledged');
  });

  it('answers DeadlinePassed at the deadline while the request is with the broker, and counts its records as pending until the broker answers', async () => {
    const { producer, partitions, requests } = heldProducer();
    const bounded = { ...limits, maxPendingRecords: 1 };
    const sends = new CoalescedSends(producer, 'events', bounded, PRODUCE_RESENDS, partitions);
    const slow = sends.send(records('a'), 1, 20);
    expect(
      await eventually('the deadline', () =>
        stateOf(slow).then((s) => (s === 'pending' ? undefined : s)),
      ),
    ).to.equal('failed');
    expect(await rejectionOf(slow)).to.be.instanceOf(DeadlinePassed);
    expect(
      await rejectionOf(sends.send(records('b'), 1, 5000)),
      'still with the broker',
    ).to.be.instanceOf(TooManyPending);
    requests[0]!.answer();
    await callbacksRun();
    const later = sends.send(records('c'), 1, 5000);
    requests[1]!.answer();
    expect(await stateOf(later)).to.equal('acknowledged');
  });

  it('refuses a write at once while the pending records would exceed the bound', async () => {
    const { producer, partitions, requests, values } = heldProducer();
    const bounded = { ...limits, maxPendingRecords: 3 };
    const sends = new CoalescedSends(producer, 'events', bounded, PRODUCE_RESENDS, partitions);
    const first = sends.send(records('a', 'b'), 2, 5000);
    const second = sends.send(records('c'), 1, 5000);
    const refused = sends.send(records('d'), 1, 5000);
    expect(await rejectionOf(refused)).to.be.instanceOf(TooManyPending);
    requests[0]!.answer();
    await stateOf(first);
    requests[1]!.answer();
    await stateOf(second);
    const later = sends.send(records('e', 'f', 'g'), 3, 5000);
    expect(values(2), 'accepted again once the records were acknowledged').to.deep.equal([
      'e',
      'f',
      'g',
    ]);
    requests[2]!.answer();
    expect(await stateOf(later)).to.equal('acknowledged');
  });

  it('takes a write larger than the bound when nothing else is pending', async () => {
    const { producer, partitions, requests } = heldProducer();
    const oneAtMost = { ...limits, maxPendingRecords: 1 };
    const sends = new CoalescedSends(producer, 'events', oneAtMost, PRODUCE_RESENDS, partitions);
    const large = sends.send(records('a', 'b', 'c'), 3, 5000);
    requests[0]!.answer();
    expect(await stateOf(large)).to.equal('acknowledged');
  });

  it("answers each write with where each of its records was written, in the request's order", async () => {
    const { producer, partitions, requests } = heldProducer();
    const sends = new CoalescedSends(producer, 'events', limits, PRODUCE_RESENDS, partitions);
    const first = sends.send(records('a'), 1, 5000);
    const second = sends.send(records('b', 'c'), 2, 5000);
    const third = sends.send(records('d'), 1, 5000);
    requests[0]!.answer();
    await stateOf(first);
    requests[1]!.answer();
    const at = (offset: number) => ({ partition: 0, offset: String(offset) });
    expect(await first).to.deep.equal([at(0)]);
    expect(await second).to.deep.equal([at(1), at(2)]);
    expect(await third).to.deep.equal([at(3)]);
  });

  it('fails the writes of a request whose answer does not say where the records went', async () => {
    const { partitions } = heldProducer();
    const answersNothing = { send: () => Promise.resolve([]) } as unknown as Producer;
    const sends = new CoalescedSends(answersNothing, 'events', limits, PRODUCE_RESENDS, partitions);
    expect(await stateOf(sends.send(records('a'), 1, 5000))).to.equal('failed');
  });

  it('gives a failed request up at its deadline even when the wall clock stepped back', async () => {
    const { partitions } = heldProducer();
    const sent: string[] = [];
    const down = {
      send: async (record: ProducerRecord) => {
        sent.push(...record.messages.map((message) => String(message.value)));
        throw new Error('connection refused');
      },
    } as unknown as Producer;
    const resends = { firstDelayMs: 20, maxDelayMs: 20 };
    const wallClock = sinon.useFakeTimers({
      toFake: ['Date'],
      now: Date.now(),
      shouldAdvanceTime: true,
    });
    try {
      const sends = new CoalescedSends(down, 'events', limits, resends, partitions);
      const first = sends.send(records('a'), 1, 200);
      wallClock.setSystemTime(Date.now() - 3_600_000);
      expect(await rejectionOf(first)).to.be.instanceOf(Error);
      // Given up on, so the next write gets a request of its own.
      void sends.send(records('b'), 1, 200).catch(() => undefined);
      await eventually('a request for the next write', () => sent.includes('b') || undefined, 2000);
    } finally {
      wallClock.restore();
    }
  });
});

/** The error `promise` rejected with; fails when it resolved. */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
