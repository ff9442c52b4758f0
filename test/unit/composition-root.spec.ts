import { expect } from 'chai';
import { isLeft } from 'fp-ts/Either';
import { startService, type ServiceOptions } from '../../src/composition-root';
import { resolvePort } from '../../src/wiring/port-registry';
import type { ServiceRuntime } from '../../src/wiring/service-runtime';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../src/adapters/system/system-clock';
import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import { testConfig } from '../support/test-config';
import { freePort } from '../support/free-port';
import { capturedLogger } from '../support/captured-logs';
import { runService } from '../support/running-service';

/** Starts the service from `variables`, hands it to `check`, and always stops it. */
async function withService(
  variables: Record<string, string>,
  check: (service: ServiceRuntime) => Promise<void>,
  overrides?: ServiceOptions['overrides'],
): Promise<void> {
  const service = await startService(testConfig(variables), { overrides });
  try {
    await check(service);
  } finally {
    await service.stop();
  }
}

describe('the composition root chooses the store', () => {
  it('the bounded in-memory store for STORE=memory', () =>
    withService({ STORE: 'memory' }, async ({ container }) => {
      expect(resolvePort(container, PROCESSED_EVENT_STORE)).to.be.instanceOf(
        InMemoryProcessedEventStore,
      );
    }));

  it('a store a test registered, opening no database', () => {
    const fake = new InMemoryProcessedEventStore(new SystemClock(), 1);
    return withService(
      { STORE: 'postgres', DATABASE_URL: 'postgresql://nowhere.invalid/x' },
      async ({ container }) => {
        expect(resolvePort(container, PROCESSED_EVENT_STORE)).to.equal(fake);
      },
      (container) => container.register(PROCESSED_EVENT_STORE, { useValue: fake }),
    );
  });

  it('PostgreSQL for STORE=postgres, starting after the first failed attempt when unreachable', async () => {
    const url = `postgresql://postgres@127.0.0.1:${await freePort()}/test`;
    await withService({ STORE: 'postgres', DATABASE_URL: url }, async ({ container }) => {
      const store = resolvePort(container, PROCESSED_EVENT_STORE);
      expect(store).to.be.instanceOf(PostgresProcessedEventStore);
      const ping = await store.ping()();
      expect(isLeft(ping) && ping.left.detail).to.match(/not migrated/);
    });
  });
});

describe('the composition root with EVENT_BUS=memory', () => {
  it('warns at start-up that an acknowledged event lives only in this process', async () => {
    const logs = capturedLogger();
    const service = await startService(testConfig({ EVENT_BUS: 'memory' }), {
      logger: logs.logger,
    });
    await service.stop();
    const warnings = logs.lines().filter((line) => line.level === 40 && line.eventBus === 'memory');
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.msg).to.match(/lives only in this process .* a crash or a kill loses it/);
  });
});

describe('the composition root with SERVICE_ROLE', () => {
  /** Readiness of a service of `role` whose broker does not answer, on a store of the test's. */
  async function readinessWithoutBroker(role: string): Promise<unknown> {
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10);
    const app = await runService(
      {
        SERVICE_ROLE: role,
        EVENT_BUS: 'kafka',
        KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
        STORE: 'postgres',
        DATABASE_URL: 'postgresql://nowhere.invalid/x',
      },
      (container) => container.register(PROCESSED_EVENT_STORE, { useValue: store }),
    );
    try {
      const response = await fetch(`${app.url}/health/ready`);
      return { status: response.status, body: await response.json() };
    } finally {
      await app.stop();
    }
  }

  it('an api without its broker is down on its producer, and has no consumer to wait for', async () => {
    expect(await readinessWithoutBroker('api')).to.deep.equal({
      status: 503,
      body: {
        status: 'not ready',
        checks: { producer: 'down', topics: 'up', store: 'up' },
        causes: ['kafka: broker unreachable'],
      },
    });
  });

  it('a worker without its broker is down on its consumer; its lost producer degrades the DLQ only', async () => {
    expect(await readinessWithoutBroker('worker')).to.deep.equal({
      status: 503,
      body: {
        status: 'not ready',
        checks: { consumer: 'down', topics: 'up', deadLetterQueue: 'degraded', store: 'up' },
        causes: ['kafka: broker unreachable'],
      },
    });
  });
});
