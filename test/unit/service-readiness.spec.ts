import { expect } from 'chai';
import { container as rootContainer } from 'tsyringe';
import { ServiceReadiness } from '../../src/wiring/service-readiness';
import type { Checks } from '../../src/wiring/adapter-set';
import { StoreReadiness } from '../../src/wiring/store-readiness';
import { postgresTroubleOf } from '../../src/adapters/postgres/postgres-trouble';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../src/adapters/system/system-clock';
import type { ProcessedEventStore } from '../../src/application/processed-event-store.port';
import { FaultyStore } from '../support/faulty-store';

const setWith = (checks: Checks) => ({ checks: async () => checks });

/** The readiness check of `store`, registered as the service's store. */
const checkOf = (store: ProcessedEventStore, troubleOf?: (detail: string) => string) => {
  const container = rootContainer.createChildContainer();
  container.register(PROCESSED_EVENT_STORE, { useValue: store });
  return new StoreReadiness(container, troubleOf);
};

describe('ServiceReadiness', () => {
  it('is ready only while every part of every adapter set is up', async () => {
    const store = checkOf(new InMemoryProcessedEventStore(new SystemClock(), 10));
    expect(
      await new ServiceReadiness([setWith({ producer: 'up', consumer: 'up' }), store]).check(),
    ).to.deep.equal({
      ready: true,
      checks: { producer: 'up', consumer: 'up', store: 'up' },
    });
    expect(
      (await new ServiceReadiness([setWith({ producer: 'up', consumer: 'down' }), store]).check())
        .ready,
    ).to.equal(false);
  });

  it('reports an unreachable store, and why in the words of its kind', async () => {
    const unreachable = checkOf(new FaultyStore({ ping: 'unavailable' }));
    const readiness = await new ServiceReadiness([setWith({ bus: 'up' }), unreachable]).check();
    expect(readiness).to.deep.equal({
      ready: false,
      checks: { bus: 'up', store: 'down' },
      causes: ['store: connection refused'],
    });
    const postgres = checkOf(new FaultyStore({ ping: 'unavailable' }), postgresTroubleOf);
    expect((await new ServiceReadiness([postgres]).check()).causes).to.deep.equal([
      'postgres: database unreachable',
    ]);
  });

  it('says why parts are down where a set knows, and nothing of causes while all is well', async () => {
    const troubled = {
      checks: async (): Promise<Checks> => ({ producer: 'down' }),
      causes: async () => ['kafka: authentication failed'],
    };
    expect(await new ServiceReadiness([troubled, setWith({ store: 'up' })]).check()).to.deep.equal({
      ready: false,
      checks: { producer: 'down', store: 'up' },
      causes: ['kafka: authentication failed'],
    });
    const quiet = { ...troubled, causes: async () => [] };
    expect(await new ServiceReadiness([quiet]).check()).not.to.have.property('causes');
    // A reason left over while the set's own parts are up explains nothing: a store down is not
    // Kafka's doing.
    const recovered = { ...troubled, checks: async (): Promise<Checks> => ({ producer: 'up' }) };
    const storeDown = checkOf(new FaultyStore({ ping: 'unavailable' }));
    expect(await new ServiceReadiness([recovered, storeDown]).check()).to.deep.equal({
      ready: false,
      checks: { producer: 'up', store: 'down' },
      causes: ['store: connection refused'],
    });
  });

  it('turns not ready once draining began, whatever the parts say', async () => {
    const readiness = new ServiceReadiness([setWith({ bus: 'up' }), setWith({ store: 'up' })]);
    readiness.drain();
    expect((await readiness.check()).ready).to.equal(false);
  });
});
