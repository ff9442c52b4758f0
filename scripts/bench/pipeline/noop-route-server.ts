import 'reflect-metadata';
import { isLeft } from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import {
  EVENT_PUBLISHER,
  type EventPublisher,
} from '../../../src/application/event-publisher.port';
import { startService } from '../../../src/composition-root';
import { parseConfig } from '../../../src/config/config';
import { limitHeapGrowth } from '../../../src/heap-growth';

/**
 * The ceiling of the HTTP leg: the service as it ships (startService: the same wiring,
 * middleware, router, body parser, codecs, request log line, metrics and HTTP server) with one
 * port replaced, a publisher that answers at once, so no broker. Settings are the service's
 * defaults and EVENT_BUS=memory, whose delivery loop then has nothing to deliver; the port comes
 * from PORT.
 */
limitHeapGrowth();
const config = parseConfig({ PORT: process.env.PORT, EVENT_BUS: 'memory' });
if (isLeft(config)) throw new Error(config.left);

const answersAtOnce: EventPublisher = {
  publish: (events) =>
    TE.right(events.map((_, offset) => ({ partition: 0, offset: String(offset) }))),
};

void (async () => {
  const service = await startService(config.right, {
    overrides: (container) => container.register(EVENT_PUBLISHER, { useValue: answersAtOnce }),
  });
  await service.listen(config.right.port);
  process.once('SIGTERM', () => void service.stop().then(() => process.exit(0)));
})();
