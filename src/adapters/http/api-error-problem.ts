import type { Problem } from './problem';
import type { ApiError } from './api-error';
import type { PublishFailure } from '../../application/event-publisher.port';
import type { DeadLetterFailure } from '../../application/dead-letters.port';

export const RETRY_AFTER_SECONDS = 2;

/** The one place that decides how each expected error looks to a client. */
export function problemFor(error: ApiError): Problem {
  switch (error._tag) {
    case 'InvalidInput':
      return {
        status: 400,
        type: '/problems/invalid-input',
        title: 'Invalid input',
        detail: error.detail,
        errors: error.issues,
      };
    case 'NotProcessed':
      return {
        status: 404,
        type: '/problems/not-processed',
        title: 'Not processed',
        detail: `event ${error.eventId} has not been processed (yet)`,
      };
    case 'UnknownEvent':
      return {
        status: 404,
        type: '/problems/unknown-event',
        title: 'Unknown event',
        detail: `this service knows nothing of event ${error.eventId}`,
      };
    case 'IdempotencyKeyReused':
      return {
        status: 422,
        type: '/problems/idempotency-key-reused',
        title: 'Idempotency-Key reused',
        detail:
          'this Idempotency-Key was used before for events with other content; nothing was published',
        eventIds: error.eventIds,
      };
    case 'PublishRejected':
      return { ...publishProblem(error.rejection.failure), eventIds: error.rejection.eventIds };
    case 'LettersNotFound':
    case 'DeadLettersUnavailable':
      return deadLetterProblem(error);
    case 'StoreUnavailable':
    case 'TooManyStreams':
      return unavailableProblem(error);
  }
}

/** The answers of the dead-letter routes that are not the letters. */
function deadLetterProblem(error: DeadLetterFailure): Problem {
  return error._tag === 'LettersNotFound'
    ? {
        status: 404,
        type: '/problems/dead-letters-not-found',
        title: 'Dead letters not found',
        detail: 'these ids name no letter on the dead-letter queue; nothing was replayed',
        ids: error.ids,
      }
    : {
        status: 503,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        type: '/problems/dead-letters-unavailable',
        title: 'Dead-letter queue unavailable',
        detail:
          'the dead-letter queue could not be read or written; nothing may be assumed replayed; retry later',
      };
}

/** The 503s of the read routes: retry after a while. */
function unavailableProblem(
  error: Extract<ApiError, { _tag: 'StoreUnavailable' | 'TooManyStreams' }>,
): Problem {
  const retry = { status: 503, retryAfterSeconds: RETRY_AFTER_SECONDS };
  return error._tag === 'StoreUnavailable'
    ? {
        ...retry,
        type: '/problems/store-unavailable',
        title: 'Store unavailable',
        detail: 'the processed-event store is unavailable; retry later',
      }
    : {
        ...retry,
        type: '/problems/too-many-streams',
        title: 'Too many streams',
        detail: `${error.maxStreams} streams are open already (SSE_MAX_CLIENTS); retry later`,
      };
}

function publishProblem(failure: PublishFailure) {
  const retry = { status: 503, retryAfterSeconds: RETRY_AFTER_SECONDS };
  switch (failure._tag) {
    case 'Overloaded':
      return {
        ...retry,
        type: '/problems/overloaded',
        title: 'Overloaded',
        detail: `${failure.maxPendingEvents} events are already waiting for the broker; retry with the same eventIds`,
      };
    case 'PublishTimedOut':
      return {
        ...retry,
        type: '/problems/broker-unavailable',
        title: 'Broker unavailable',
        detail: `the broker did not acknowledge within ${failure.afterMs} ms; retry with the same eventIds`,
      };
    case 'BrokerUnavailable':
      return {
        ...retry,
        type: '/problems/broker-unavailable',
        title: 'Broker unavailable',
        detail: 'the broker is unavailable; retry with the same eventIds',
      };
  }
}
