import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { createSession, type Session } from 'better-sse';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { setTimeout as delay } from 'node:timers/promises';
import { finished } from 'node:stream/promises';
import { EventType, UserId } from '../../domain/event-fields';
import { UserEvent } from '../../domain/user-event';
import { optional } from '../../domain/codec-combinators';
import { withoutExcessKeys } from '../../domain/without-excess-keys';
import type { FollowProcessedEvents } from '../../application/follow-processed-events';
import type { FollowCursor } from '../../application/processed-event-store.port';
import type { ServiceMetrics, StreamEnding } from '../../application/service-metrics.port';
import { decodeInput } from './decode-input';
import { encodeFollowCursor, FollowCursorText } from './follow-cursor';
import { respond } from './respond';
import type { ApiError } from './api-error';

/** How streams behave; the defaults are STREAM_TIMINGS. */
export interface StreamTimings {
  /** How often a stream that has caught up asks the store for more. */
  readonly pollIntervalMs: number;
  /** How often an idle stream sends a comment, so that proxies keep it open. */
  readonly heartbeatMs: number;
  /** Bytes written and not yet taken by the client beyond which the stream waits for it. */
  readonly maxBufferedBytes: number;
  /**
   * How long the stream waits for such a client before it ends it, saying where to resume; and
   * then how long for it to take that last event before the connection is cut.
   */
  readonly slowReaderMs: number;
}

export const STREAM_TIMINGS: StreamTimings = {
  pollIntervalMs: 500,
  heartbeatMs: 15_000,
  maxBufferedBytes: 256 * 1024,
  slowReaderMs: 10_000,
};

// Events the store looks at per query: a page of the stream.
const PAGE = 500;

const StreamQuery = withoutExcessKeys(
  t.type({
    cursor: optional(FollowCursorText),
    userId: optional(UserId),
    eventType: optional(EventType),
  }),
  ['cursor', 'userId', 'eventType'],
);

/** Why a stream ended from the server's side: its last event says so, with where to resume. */
type Ending = Exclude<StreamEnding, 'client'>;

/**
 * The open streams of one service: at most `maxClients` of them; `closeAll` ends them when the
 * service stops, each with a last event naming where to resume (on any instance).
 */
export class EventStreams {
  private readonly open = new Set<(ending: Ending) => void>();
  private whenNoneOpen: Array<() => void> = [];

  constructor(
    readonly maxClients: number,
    private readonly metrics: Pick<ServiceMetrics, 'streamsOpen' | 'streamEnded'>,
    readonly timings: StreamTimings = STREAM_TIMINGS,
  ) {}

  /** Registers a stream by how it is ended; false when `maxClients` are open already. */
  admit(end: (ending: Ending) => void): boolean {
    if (this.open.size >= this.maxClients) return false;
    this.open.add(end);
    this.metrics.streamsOpen(this.open.size);
    return true;
  }

  /** The stream sent its last event, for `ending`. */
  ended(ending: StreamEnding): void {
    this.metrics.streamEnded(ending);
  }

  /** The stream has let go of its connection. */
  release(end: (ending: Ending) => void): void {
    this.open.delete(end);
    this.metrics.streamsOpen(this.open.size);
    if (this.open.size > 0) return;
    for (const resolve of this.whenNoneOpen.splice(0)) resolve();
  }

  /** Ends every stream; resolves once each has sent its last event and finished. */
  closeAll(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.whenNoneOpen.push(resolve));
    for (const end of [...this.open]) end('closing');
    return closed;
  }
}

export interface EventStreamDependencies {
  readonly followProcessedEvents: FollowProcessedEvents;
  readonly streams: EventStreams;
  readonly readAccess: Middleware;
}

/**
 * GET /events/stream: processed events as Server-Sent Events, in the order followers get them,
 * each with the cursor after it as its `id`. `Last-Event-ID` (what a reconnecting EventSource
 * sends) or `?cursor=` resumes after that event; without either, the stream starts with the
 * events processed from now on.
 */
export function addEventStreamRoute(router: Router, deps: EventStreamDependencies): void {
  router.get('/events/stream', deps.readAccess, async (ctx) => {
    const query = decodeInput(StreamQuery, ctx.query, 'the query is invalid');
    if (E.isLeft(query)) return respond(ctx, query, () => undefined);
    const resumeAt = resumeCursor(ctx);
    if (E.isLeft(resumeAt)) return respond(ctx, resumeAt, () => undefined);
    const given = resumeAt.right ?? query.right.cursor;
    const start = given === undefined ? await deps.followProcessedEvents.end()() : E.right(given);
    if (E.isLeft(start)) return respond(ctx, start, () => undefined);
    await stream(ctx, deps, { ...query.right, start: start.right });
  });
}

const LAST_EVENT_ID = 'last-event-id';

/** The cursor of a reconnecting client's `Last-Event-ID`, which wins over `?cursor=`. */
function resumeCursor(ctx: Context): E.Either<ApiError, FollowCursor | undefined> {
  const header = ctx.get(LAST_EVENT_ID);
  if (header === '') return E.right(undefined);
  return decodeInput(FollowCursorText, header, 'the Last-Event-ID header is invalid');
}

interface StreamRequest {
  readonly start: FollowCursor;
  readonly userId?: UserId | undefined;
  readonly eventType?: EventType | undefined;
}

async function stream(
  ctx: Context,
  { followProcessedEvents, streams }: EventStreamDependencies,
  request: StreamRequest,
): Promise<void> {
  const stopped = new AbortController();
  let ending: Ending | undefined;
  const end = (why: Ending) => {
    ending ??= why;
    stopped.abort();
  };
  if (!streams.admit(end)) {
    const refused: ApiError = { _tag: 'TooManyStreams', maxStreams: streams.maxClients };
    return respond(ctx, E.left(refused), () => undefined);
  }
  try {
    ctx.status = 200;
    ctx.respond = false;
    const session = await createSession(ctx.req, ctx.res, {
      statusCode: 200,
      keepAlive: streams.timings.heartbeatMs,
      // The ids are cursors: whatever a client sends is decoded and checked above, not trusted.
      trustClientEventId: false,
    });
    session.once('disconnected', () => stopped.abort());
    const follower = { session, ctx, follow: followProcessedEvents, timings: streams.timings };
    const sent = await followInto(follower, request, stopped.signal, end);
    if (ending !== undefined) lastWord(session, ending, sent);
  } finally {
    streams.ended(ending ?? 'client');
    ctx.res.end();
    await letGo(ctx, streams.timings.slowReaderMs);
    streams.release(end);
  }
}

/**
 * Waits until the response is finished (handed to the kernel, so that closing the connection now
 * loses nothing), but no longer than `ms`: a client that never reads would hold its slot for good.
 */
async function letGo(ctx: Context, ms: number): Promise<void> {
  const taken = await finished(ctx.res, { signal: AbortSignal.timeout(ms) }).then(
    () => true,
    () => false,
  );
  if (!taken) ctx.req.socket.destroy();
}

interface Follower {
  readonly session: Session;
  readonly ctx: Context;
  readonly follow: FollowProcessedEvents;
  readonly timings: StreamTimings;
}

/**
 * Pushes the events after `request.start` until `stopped`, at the pace the client takes them;
 * ends the stream as `behind` when it does not. Answers the cursor of the last event pushed.
 */
async function followInto(
  { session, ctx, follow, timings }: Follower,
  request: StreamRequest,
  stopped: AbortSignal,
  end: (ending: Ending) => void,
): Promise<FollowCursor> {
  let sent = request.start;
  let after = request.start;
  while (!stopped.aborted) {
    const next = await follow.next({
      after,
      limit: PAGE,
      userId: request.userId,
      eventType: request.eventType,
    })();
    if (E.isLeft(next)) {
      // The store is away: the stream waits for it, as readiness reports it meanwhile.
      await pause(timings.pollIntervalMs * 4, stopped);
      continue;
    }
    for (const { event, cursor } of next.right.events) {
      session.push(UserEvent.encode(event), 'processed', encodeFollowCursor(cursor));
      sent = cursor;
    }
    after = next.right.scannedTo ?? after;
    if (ctx.res.writableLength > timings.maxBufferedBytes) {
      const drained = await drainedWithin(ctx, timings.slowReaderMs, stopped);
      if (!drained && !stopped.aborted) end('behind');
    } else if (next.right.scannedTo === undefined) {
      await pause(timings.pollIntervalMs, stopped);
    }
  }
  return sent;
}

/** The last event of a stream the server ends: why, and the cursor to resume from. */
function lastWord(session: Session, ending: Ending, sent: FollowCursor): void {
  const cursor = encodeFollowCursor(sent);
  session.push(
    {
      cursor,
      detail:
        ending === 'behind'
          ? 'this client fell too far behind; reconnect with Last-Event-ID (or ?cursor=) to resume'
          : 'this instance is stopping; reconnect with Last-Event-ID (or ?cursor=) to resume',
    },
    ending,
    cursor,
  );
}

/** Waits `ms`, or less when the stream stops meanwhile. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

/** Whether the client took what was written within `ms` (false too when the stream stops). */
async function drainedWithin(ctx: Context, ms: number, stopped: AbortSignal): Promise<boolean> {
  const settled = new AbortController();
  const stop = () => settled.abort();
  stopped.addEventListener('abort', stop, { once: true });
  let onDrain = (): void => undefined;
  const drained = new Promise<boolean>((resolve) =>
    ctx.res.once('drain', (onDrain = () => resolve(true))),
  );
  const late = delay(ms, false, { signal: settled.signal }).catch(() => false);
  try {
    return await Promise.race([drained, late]);
  } finally {
    settled.abort();
    stopped.removeEventListener('abort', stop);
    ctx.res.off('drain', onDrain);
  }
}
