import { startService } from '../../src/composition-root';
import { resolvePort } from '../../src/wiring/port-registry';
import { EVENT_PUBLISHER } from '../../src/application/event-publisher.port';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { testConfig } from '../support/test-config';
import { eventBusContract } from './event-bus.contract';

eventBusContract('InMemoryEventBus', async () => {
  const service = await startService(testConfig({ EVENT_BUS: 'memory' }));
  return {
    publisher: resolvePort(service.container, EVENT_PUBLISHER),
    store: resolvePort(service.container, PROCESSED_EVENT_STORE),
    stop: () => service.stop(),
  };
});
