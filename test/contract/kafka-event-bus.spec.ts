import { startService } from '../../src/composition-root';
import { resolvePort } from '../../src/wiring/port-registry';
import { EVENT_PUBLISHER } from '../../src/application/event-publisher.port';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { testConfig } from '../support/test-config';
import { kafkaBrokers } from '../support/kafka-broker';
import { unique } from '../support/unique';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { eventBusContract } from './event-bus.contract';

for (const client of KAFKA_CLIENTS)
  eventBusContract(`Kafka publisher and consumer on ${client}`, async () => {
    const service = await startService(
      testConfig({
        EVENT_BUS: 'kafka',
        KAFKA_CLIENT: client,
        KAFKA_BROKERS: (await kafkaBrokers()).join(','),
        KAFKA_TOPIC: unique('contract-events'),
        KAFKA_CLIENT_ID: unique('contract'),
      }),
    );
    return {
      publisher: resolvePort(service.container, EVENT_PUBLISHER),
      store: resolvePort(service.container, PROCESSED_EVENT_STORE),
      stop: () => service.stop(),
    };
  });
