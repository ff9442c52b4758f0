import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { processedEventStoreContract } from './processed-event-store.contract';

processedEventStoreContract(
  'InMemoryProcessedEventStore',
  async () => ({ store: new InMemoryProcessedEventStore(10_000) }),
  async () => ({ store: new InMemoryProcessedEventStore(3) }),
);
