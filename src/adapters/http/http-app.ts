import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Tracer } from '@opentelemetry/api';
import type { EventTypePolicy } from '../../domain/event-submission';
import type { PublishEvent } from '../../application/publish-event';
import type { ListProcessedEvents } from '../../application/list-processed-events';
import type { GetProcessedEvent } from '../../application/get-processed-event';
import type { GetEventStatus } from '../../application/get-event-status';
import type { FollowProcessedEvents } from '../../application/follow-processed-events';
import type { DeadLetterQueue } from '../../application/dead-letter-queue';
import { requestId } from './request-id';
import { securityHeaders } from './security-headers';
import { observeRequests } from './request-observer';
import { traceRequests } from './trace-requests';
import { errorBoundary } from './error-boundary';
import { BearerKeys } from './bearer-keys';
import { requireKey, type KeyRule } from './require-key';
import { ThrottledWarnings } from './throttled-warnings';
import { rateLimit } from './rate-limit';
import { jsonBody } from './json-body';
import { addEventRoutes } from './event-routes';
import { addProcessedEventRoutes } from './processed-event-routes';
import { addEventStatusRoutes } from './event-status-routes';
import { addEventStreamRoute, type EventStreams } from './event-stream';
import { addHealthRoutes, type Readiness } from './health-routes';
import { addMetricsRoute } from './metrics-route';
import { addOpenApiRoute } from './openapi-route';
import { addConsoleRoutes } from './console-route';
import { addDeadLetterRoutes } from './dead-letter-routes';
import type { ServiceMetrics } from '../../application/service-metrics.port';
import type { Clock } from '../../application/clock.port';

/** SHA-256 digests (hex) of the keys; none of a kind: that kind of route is open. */
export interface KeyDigests {
  /** May publish and read. */
  readonly write: readonly string[];
  /** May read only. */
  readonly read: readonly string[];
  /** May scrape /metrics. */
  readonly metrics?: string | undefined;
}

export interface HttpSettings {
  readonly maxBodyBytes: number;
  readonly keyDigests: KeyDigests;
  readonly eventTypes: EventTypePolicy;
  /** Requests per minute per client on the event routes; undefined: no limit. */
  readonly rateLimitPerMinute?: number | undefined;
}

/** The use cases behind the event routes (tag `events` in docs/openapi.yaml). */
export interface EventUseCases {
  readonly publishEvent: PublishEvent;
  readonly listProcessedEvents: ListProcessedEvents;
  readonly getProcessedEvent: GetProcessedEvent;
  readonly getEventStatus: GetEventStatus;
  readonly followProcessedEvents: FollowProcessedEvents;
  readonly deadLetterQueue: DeadLetterQueue;
}

export interface HttpAppDependencies {
  /**
   * Undefined in a process that serves no events (a worker): it serves only the operations
   * routes, and an event route is an unknown path there (404).
   */
  readonly events: EventUseCases | undefined;
  /** The open streams of GET /events/stream, ended by the service when it stops. */
  readonly streams: EventStreams;
  readonly readiness: () => Promise<Readiness>;
  readonly settings: HttpSettings;
  /** Whose minutes the rate limit counts in. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Where each request's server span starts; none when tracing is off. */
  readonly tracer?: Tracer | undefined;
}

/** The Koa application of the HTTP API (SPEC section 2); it does not listen by itself. */
export function createHttpApp(deps: HttpAppDependencies): Koa {
  const access = accessRules(deps);
  const router = new Router();
  const { events } = deps;
  if (events !== undefined) {
    const beforeBody = [access.write, ...jsonBody(deps.settings.maxBodyBytes)];
    addEventRoutes(router, {
      publishEvent: events.publishEvent,
      eventTypes: deps.settings.eventTypes,
      metrics: deps.metrics,
      beforeBody,
    });
    addProcessedEventRoutes(router, { ...events, readAccess: access.read });
    addEventStatusRoutes(router, { ...events, readAccess: access.read });
    addEventStreamRoute(router, { ...events, streams: deps.streams, readAccess: access.read });
    addDeadLetterRoutes(router, { ...events, readAccess: access.read, beforeBody });
    // The page holds no data and needs no key; what it shows, it reads with the operator's key.
    addConsoleRoutes(router);
  }
  // Probes carry no keys, and the API's description is public: both stay open.
  addHealthRoutes(router, deps.readiness);
  addMetricsRoute(router, deps.metrics, access.metrics);
  addOpenApiRoute(router);

  const app = new Koa();
  // Every error is answered and logged by the error boundary; Koa's own stderr print would repeat it.
  app.silent = true;
  app.use(requestId());
  // Outside the request's log line and everything after it, so that they are in its span.
  if (deps.tracer !== undefined) app.use(traceRequests(deps.tracer));
  app.use(securityHeaders());
  app.use(observeRequests(deps.logger, deps.metrics));
  app.use(errorBoundary(deps.logger, deps.settings.maxBodyBytes));
  const { rateLimitPerMinute } = deps.settings;
  if (rateLimitPerMinute !== undefined)
    app.use(limitEventRoutes(rateLimitPerMinute, access.apiKeys, deps.clock));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** Who may do what: the API keys, and the check in front of each kind of route. */
function accessRules({ settings, logger, clock }: HttpAppDependencies) {
  const { keyDigests } = settings;
  const apiKeys = new BearerKeys<Access>([
    ...keyDigests.write.map((digest) => ({ digest, grant: 'write' as const })),
    ...keyDigests.read.map((digest) => ({ digest, grant: 'read' as const })),
  ]);
  const refusals = new ThrottledWarnings(logger, 'access refused', REFUSALS_LOGGED_PER_MINUTE, () =>
    clock.now().getTime(),
  );
  const access = <Grant>(rule: KeyRule<Grant>) => requireKey(rule, refusals);
  return {
    apiKeys,
    read: access({
      keys: apiKeys,
      wanted: 'a key of API_KEYS or READ_API_KEYS',
      refusal: () => undefined,
    }),
    write: access({
      keys: apiKeys,
      wanted: 'a key of API_KEYS',
      refusal: (grant) =>
        grant === 'write'
          ? undefined
          : 'this key may only read; publishing needs a key of API_KEYS',
    }),
    metrics: access({
      keys: new BearerKeys(
        keyDigests.metrics === undefined ? [] : [{ digest: keyDigests.metrics, grant: 'scrape' }],
      ),
      wanted: 'METRICS_TOKEN',
      refusal: () => undefined,
    }),
  };
}

type Access = 'write' | 'read';

// A refused request is worth a line, a flood of them is not worth a full disk.
const REFUSALS_LOGGED_PER_MINUTE = 20;

/**
 * The rate limit of the event routes (health, metrics and the OpenAPI document stay unlimited:
 * probes and scrapers must always get through). A client is its valid API key, else its address:
 * an invalid key counts against the address, so made-up keys cannot dodge the limit.
 */
function limitEventRoutes(
  perMinute: number,
  apiKeys: BearerKeys<Access>,
  clock: Clock,
): Koa.Middleware {
  const clientOf = (ctx: Koa.Context) => {
    const bearer = apiKeys.bearerOf(ctx);
    return bearer.kind === 'known' ? `key ${bearer.fingerprint}` : `address ${ctx.ip}`;
  };
  const limit = rateLimit(perMinute, clientOf, () => clock.now().getTime());
  return (ctx, next) => (ctx.path.startsWith('/events') ? limit(ctx, next) : next());
}
