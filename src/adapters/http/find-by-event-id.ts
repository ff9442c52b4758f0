import * as E from 'fp-ts/Either';
import type * as O from 'fp-ts/Option';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { EventId } from '../../domain/event-fields';
import type { StoreUnavailable } from '../../application/processed-event-store.port';
import type { ApiError } from './api-error';
import { decodeInput } from './decode-input';

/**
 * What `find` answers for the event id of a route's path: 400 for a path id that is no UUID,
 * the `notFound` error when `find` knows nothing of it.
 */
export const findByEventId = <A>(
  pathId: string | undefined,
  find: (eventId: EventId) => TE.TaskEither<StoreUnavailable, O.Option<A>>,
  notFound: (eventId: EventId) => ApiError,
): Promise<E.Either<ApiError, A>> =>
  pipe(
    TE.fromEither(decodeInput(EventId, pathId, 'the event id is invalid')),
    TE.chainW((eventId) =>
      pipe(find(eventId), TE.chainW(TE.fromOption((): ApiError => notFound(eventId)))),
    ),
  )();
