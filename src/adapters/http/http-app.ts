import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { EventTypePolicy } from '../../domain/event-submission';
import type { PublishEvent } from '../../application/publish-event';
import type { ListProcessedEvents } from '../../application/list-processed-events';
import type { GetProcessedEvent } from '../../application/get-processed-event';
import type { GetEventStatus } from '../../application/get-event-status';
import { requestId } from './request-id';
import { securityHeaders } from './security-headers';
import { observeRequests } from './request-observer';
import { errorBoundary } from './error-boundary';
import { apiKeyAuth, ApiKeys } from './api-key-auth';
import { rateLimit } from './rate-limit';
import { jsonBody } from './json-body';
import { addEventRoutes } from './event-routes';
import { addProcessedEventRoutes } from './processed-event-routes';
import { addEventStatusRoutes } from './event-status-routes';
import { addHealthRoutes, type Readiness } from './health-routes';
import { addMetricsRoute, type MetricsExposition } from './metrics-route';
import { addOpenApiRoute } from './openapi-route';
import type { ServiceMetrics } from '../shared/service-metrics';
import type { Clock } from '../../application/clock.port';

export interface HttpSettings {
  readonly maxBodyBytes: number;
  readonly apiKeys: readonly string[];
  readonly eventTypes: EventTypePolicy;
  /** Requests per minute per client on the event routes; undefined: no limit. */
  readonly rateLimitPerMinute?: number | undefined;
}

export interface HttpAppDependencies {
  readonly publishEvent: PublishEvent;
  readonly listProcessedEvents: ListProcessedEvents;
  readonly getProcessedEvent: GetProcessedEvent;
  readonly getEventStatus: GetEventStatus;
  readonly readiness: () => Promise<Readiness>;
  readonly settings: HttpSettings;
  /** Whose minutes the rate limit counts in. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics & MetricsExposition;
}

/** The Koa application of the HTTP API (SPEC section 2); it does not listen by itself. */
export function createHttpApp(deps: HttpAppDependencies): Koa {
  const apiKeys = new ApiKeys(deps.settings.apiKeys);
  const router = new Router();
  addEventRoutes(router, {
    publishEvent: deps.publishEvent,
    eventTypes: deps.settings.eventTypes,
    metrics: deps.metrics,
    beforeBody: [apiKeyAuth(apiKeys), ...jsonBody(deps.settings.maxBodyBytes)],
  });
  addProcessedEventRoutes(router, deps);
  addEventStatusRoutes(router, deps);
  addHealthRoutes(router, deps.readiness);
  addMetricsRoute(router, deps.metrics);
  addOpenApiRoute(router);

  const app = new Koa();
  // Every error is answered and logged by the error boundary; Koa's own stderr print would repeat it.
  app.silent = true;
  app.use(requestId());
  app.use(securityHeaders());
  app.use(observeRequests(deps.logger, deps.metrics));
  app.use(errorBoundary(deps.logger, deps.settings.maxBodyBytes));
  const { rateLimitPerMinute } = deps.settings;
  if (rateLimitPerMinute !== undefined)
    app.use(limitEventRoutes(rateLimitPerMinute, apiKeys, deps.clock));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/**
 * The rate limit of the event routes (health, metrics and the OpenAPI document stay unlimited:
 * probes and scrapers must always get through). A client is its valid API key, else its address:
 * an invalid key counts against the address, so made-up keys cannot dodge the limit.
 */
function limitEventRoutes(perMinute: number, apiKeys: ApiKeys, clock: Clock): Koa.Middleware {
  const clientOf = (ctx: Koa.Context) => {
    const key = apiKeys.keyOf(ctx);
    return key === undefined ? `address ${ctx.ip}` : `key ${key}`;
  };
  const limit = rateLimit(perMinute, clientOf, () => clock.now().getTime());
  return (ctx, next) => (ctx.path.startsWith('/events') ? limit(ctx, next) : next());
}
