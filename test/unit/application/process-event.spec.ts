import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { ProcessEvent, type ProcessOutcome } from '../../../src/application/process-event';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../../src/adapters/system/system-clock';
import { aUserEvent, delivered } from '../../support/builders';
import { tally } from '../../support/tally';

describe('ProcessEvent', () => {
  it('processes an event the first time and counts every later copy as a duplicate', async () => {
    const processEvent = new ProcessEvent(new InMemoryProcessedEventStore(new SystemClock(), 100));
    const event = aUserEvent();
    expect(await processEvent.execute(delivered(event))()).to.deep.equal(E.right(['processed']));
    expect(await processEvent.execute(delivered({ ...event }))()).to.deep.equal(
      E.right(['duplicate']),
    );
  });

  it('answers a batch with one outcome per event, in order', async () => {
    const processEvent = new ProcessEvent(new InMemoryProcessedEventStore(new SystemClock(), 100));
    const [a, b] = [aUserEvent(), aUserEvent()];
    expect(await processEvent.execute(delivered(a, b, { ...a }))()).to.deep.equal(
      E.right(['processed', 'processed', 'duplicate']),
    );
  });

  it('processes exactly one of 20 concurrent deliveries of one event', async () => {
    const processEvent = new ProcessEvent(new InMemoryProcessedEventStore(new SystemClock(), 100));
    const event = aUserEvent();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => processEvent.execute(delivered({ ...event }))()),
    );
    const outcomes = results.map(E.map((each: readonly ProcessOutcome[]) => each[0]!));
    expect(tally(outcomes)).to.deep.equal({ errors: 0, processed: 1, duplicate: 19 });
  });
});
