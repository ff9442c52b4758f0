import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import {
  eventSubmissionCodec,
  type EventSubmission,
  type EventTypePolicy,
} from '../../domain/event-submission';
import { withRule } from '../../domain/codec-combinators';
import { withoutExcessKeys } from '../../domain/without-excess-keys';
import {
  isKeyReused,
  type IdempotencyKeyReused,
  type PublishCommand,
  type PublishEvent,
  type PublishRejected,
} from '../../application/publish-event';
import type { UserEvent } from '../../domain/user-event';
import { invalidInput, type ApiError } from './api-error';
import { decodeInput } from './decode-input';
import { respond } from './respond';
import { statusPathOf } from './event-status-routes';
import type { ServiceMetrics } from '../../application/service-metrics.port';

export const MAX_BATCH_EVENTS = 500;
const IDEMPOTENCY_KEY = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

export interface EventRoutesDependencies {
  readonly publishEvent: PublishEvent;
  readonly eventTypes: EventTypePolicy;
  readonly metrics: ServiceMetrics;
  /** Runs before the body is read: authentication, content type, body parsing. */
  readonly beforeBody: readonly Middleware[];
}

/** POST /events/generate and POST /events/batch: publish, and answer once Kafka acknowledged. */
export function addEventRoutes(router: Router, deps: EventRoutesDependencies): void {
  const submission = eventSubmissionCodec(deps.eventTypes);
  const batch = batchCodec(submission);

  router.post('/events/generate', ...deps.beforeBody, async (ctx) => {
    const single = E.map((one: EventSubmission) => [one])(
      decodeInput(submission, ctx.request.body, 'the event is invalid'),
    );
    respond(ctx, await publish(ctx, deps, single), ([event]: readonly UserEvent[]) => {
      ctx.status = 201;
      ctx.set('Location', `/events/processed/${event!.eventId}`);
      ctx.set('Link', `<${statusPathOf(event!.eventId)}>; rel="status"`);
      ctx.body = { message: 'Event published successfully', eventId: event!.eventId };
    });
  });

  router.post('/events/batch', ...deps.beforeBody, async (ctx) => {
    const many = E.map(({ events }: { events: EventSubmission[] }) => events)(
      decodeBatch(batch, ctx.request.body),
    );
    respond(ctx, await publish(ctx, deps, many), (events) => {
      ctx.status = 201;
      // One Link header per event would outgrow what clients take (undici: 16 KiB) at 500 events.
      ctx.body = {
        message: 'Events published successfully',
        eventIds: events.map((event) => event.eventId),
        statusUrls: events.map((event) => statusPathOf(event.eventId)),
      };
    });
  });
}

/** `{"events": [...]}` with 1 to MAX_BATCH_EVENTS submissions and nothing else. */
const batchCodec = (submission: t.Type<EventSubmission, unknown, unknown>) =>
  withoutExcessKeys(
    t.type({
      events: withRule<EventSubmission[], EventSubmission[], unknown>(
        'Events',
        t.array(submission),
        (events) =>
          events.length >= 1 && events.length <= MAX_BATCH_EVENTS
            ? undefined
            : `must hold 1 to ${MAX_BATCH_EVENTS} events`,
      ),
    }),
    ['events'],
  );

/**
 * Publishes valid submissions in one write; the published ids go to the request's log line. A
 * keyed request seen before is answered as the first time, and counts as nothing published.
 */
// Awaited once rather than a TaskEither pipeline: each of its steps cost a promise per request.
async function publish(
  ctx: Context,
  deps: EventRoutesDependencies,
  submissions: E.Either<ApiError, readonly EventSubmission[]>,
): Promise<E.Either<ApiError, readonly UserEvent[]>> {
  const command = pipe(
    submissions,
    E.bindTo('submissions'),
    E.apS('idempotencyKey', idempotencyKeyOf(ctx)),
  );
  if (E.isLeft(command)) return command;
  const requestId = ctx.state.requestId as string;
  const published = await deps.publishEvent.execute({
    ...command.right,
    requestId,
  } satisfies PublishCommand)();
  if (E.isLeft(published)) return E.left(apiErrorOf(published.left));
  const { events, repeated } = published.right;
  if (!repeated) {
    deps.metrics.eventsPublished(events.length);
    // For the request's log line: which events this request put on the bus.
    ctx.state.published = events;
  }
  return E.right(events);
}

const apiErrorOf = (refusal: PublishRejected | IdempotencyKeyReused): ApiError =>
  isKeyReused(refusal)
    ? { _tag: 'IdempotencyKeyReused', eventIds: refusal.reused }
    : { _tag: 'PublishRejected', rejection: refusal };

function decodeBatch<A>(codec: t.Decoder<unknown, A>, body: unknown): E.Either<ApiError, A> {
  return E.mapLeft((error: ApiError) => {
    if (error._tag !== 'InvalidInput') return error;
    const indexes = [
      ...new Set(error.issues.flatMap((issue) => /^events\.(\d+)/.exec(issue.path)?.[1] ?? [])),
    ];
    const detail =
      indexes.length > 0
        ? `invalid events at indexes ${indexes.join(', ')}; nothing was published`
        : 'the batch is invalid; nothing was published';
    return invalidInput(detail, error.issues);
  })(decodeInput(codec, body, 'the batch is invalid'));
}

function idempotencyKeyOf(ctx: Context): E.Either<ApiError, string | undefined> {
  const key = ctx.get('Idempotency-Key');
  if (key === '') return E.right(undefined);
  return IDEMPOTENCY_KEY.test(key)
    ? E.right(key)
    : E.left(
        invalidInput('the Idempotency-Key header is invalid', [
          { path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
        ]),
      );
}
