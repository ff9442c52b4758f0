import { expect } from 'chai';
import { ServiceReadiness } from '../../src/wiring/service-readiness';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../src/adapters/system/system-clock';
import type { RunningBus } from '../../src/wiring/running-bus';
import { FaultyStore } from '../support/faulty-store';

const busWith = (checks: Record<string, 'up' | 'down'>): RunningBus => ({
  checks: () => checks,
  stop: async () => {},
});

describe('ServiceReadiness', () => {
  it('is ready only while every part is up', async () => {
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10);
    expect(
      await new ServiceReadiness(busWith({ producer: 'up', consumer: 'up' }), store).check(),
    ).to.deep.equal({
      ready: true,
      checks: { producer: 'up', consumer: 'up', store: 'up' },
    });
    expect(
      (await new ServiceReadiness(busWith({ producer: 'up', consumer: 'down' }), store).check())
        .ready,
    ).to.equal(false);
  });

  it('reports an unreachable store', async () => {
    const unreachable = new FaultyStore({ ping: 'unavailable' });
    const readiness = await new ServiceReadiness(busWith({ bus: 'up' }), unreachable).check();
    expect(readiness).to.deep.equal({ ready: false, checks: { bus: 'up', store: 'down' } });
  });

  it('turns not ready once draining began, whatever the parts say', async () => {
    const readiness = new ServiceReadiness(
      busWith({ bus: 'up' }),
      new InMemoryProcessedEventStore(new SystemClock(), 10),
    );
    readiness.drain();
    expect((await readiness.check()).ready).to.equal(false);
  });
});
