import 'reflect-metadata';
import { isLeft } from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { createHttpApp } from '../../../src/adapters/http/http-app';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { PrometheusMetrics } from '../../../src/adapters/prometheus/prometheus-metrics';
import { CryptoIdGenerator } from '../../../src/adapters/system/crypto-id-generator';
import { SystemClock } from '../../../src/adapters/system/system-clock';
import type { EventPublisher } from '../../../src/application/event-publisher.port';
import { RecentlyPublishedEvents } from '../../../src/adapters/memory/recently-published-events';
import { ReportedSetbacks } from '../../../src/adapters/shared/reported-setbacks';
import { GetEventStatus } from '../../../src/application/get-event-status';
import { GetProcessedEvent } from '../../../src/application/get-processed-event';
import { ListProcessedEvents } from '../../../src/application/list-processed-events';
import { PublishEvent } from '../../../src/application/publish-event';
import { serviceLogger } from '../../../src/composition-root';
import { parseConfig } from '../../../src/config/config';
import { limitHeapGrowth } from '../../../src/heap-growth';
import { listenHttp } from '../../../src/wiring/http-server';

/**
 * The ceiling of the HTTP leg: the service's own Koa app (createHttpApp: the same middleware,
 * router, body parser, codecs, request log line and metrics) with a publisher that answers at
 * once, so no broker. Settings are the service's defaults, and so are its heap growth and its HTTP
 * server (listen backlog, timeouts, connection limit); the port comes from PORT.
 */
limitHeapGrowth();
const config = parseConfig({ PORT: process.env.PORT });
if (isLeft(config)) throw new Error(config.left);
const {
  port,
  logLevel,
  maxBodyBytes,
  memoryStoreMaxEvents,
  memoryStoreMaxBytes,
  publishedStatusMaxEvents,
  connectionLimits,
} = config.right;

const answersAtOnce: EventPublisher = {
  publish: (events) =>
    TE.right(events.map((_, offset) => ({ partition: 0, offset: String(offset) }))),
};
const published = new RecentlyPublishedEvents(publishedStatusMaxEvents);
const store = new InMemoryProcessedEventStore(
  new SystemClock(),
  memoryStoreMaxEvents,
  memoryStoreMaxBytes,
);
const app = createHttpApp({
  publishEvent: new PublishEvent(
    answersAtOnce,
    new SystemClock(),
    new CryptoIdGenerator(),
    published,
    store,
  ),
  listProcessedEvents: new ListProcessedEvents(store),
  getProcessedEvent: new GetProcessedEvent(store),
  getEventStatus: new GetEventStatus(
    store,
    published,
    new ReportedSetbacks(store, new SystemClock(), 1),
  ),
  readiness: () => Promise.resolve({ ready: true, checks: {} }),
  clock: new SystemClock(),
  settings: { maxBodyBytes, keyDigests: { write: [], read: [] }, eventTypes: { kind: 'any' } },
  logger: serviceLogger(logLevel),
  metrics: new PrometheusMetrics(),
});
void listenHttp(app, { port }, connectionLimits).then((server) =>
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  }),
);
