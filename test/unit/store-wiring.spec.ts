import 'reflect-metadata';
import { expect } from 'chai';
import { isLeft } from 'fp-ts/Either';
import pino from 'pino';
import { container } from 'tsyringe';
import { startStore } from '../../src/store-wiring';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { resolvePort } from '../../src/port-registry';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import { testConfig } from '../support/test-config';
import { freePort } from '../support/free-port';

const silent = pino({ level: 'silent' });

describe('startStore', () => {
  it('registers the bounded in-memory store for STORE=memory', async () => {
    const child = container.createChildContainer();
    await startStore(child, testConfig({ STORE: 'memory' }), silent);
    expect(resolvePort(child, PROCESSED_EVENT_STORE)).to.be.instanceOf(InMemoryProcessedEventStore);
  });

  it('keeps a store a test registered, and opens nothing', async () => {
    const child = container.createChildContainer();
    const fake = new InMemoryProcessedEventStore(1);
    child.register(PROCESSED_EVENT_STORE, { useValue: fake });
    const config = testConfig({
      STORE: 'postgres',
      DATABASE_URL: 'postgresql://nowhere.invalid/x',
    });
    await (await startStore(child, config, silent)).stop();
    expect(resolvePort(child, PROCESSED_EVENT_STORE)).to.equal(fake);
  });

  it('registers PostgreSQL and resolves after the first failed attempt when it is unreachable', async () => {
    const child = container.createChildContainer();
    const url = `postgresql://postgres@127.0.0.1:${await freePort()}/test`;
    const running = await startStore(
      child,
      testConfig({ STORE: 'postgres', DATABASE_URL: url }),
      silent,
    );
    try {
      const store = resolvePort(child, PROCESSED_EVENT_STORE);
      expect(store).to.be.instanceOf(PostgresProcessedEventStore);
      const ping = await store.ping()();
      expect(isLeft(ping) && ping.left.detail).to.match(/not migrated/);
    } finally {
      await running.stop();
    }
  });
});
