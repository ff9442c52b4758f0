import type { Problem } from './problem';
import type { ApiError } from './api-error';

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
    case 'PublishRejected':
      return {
        status: 503,
        type: '/problems/broker-unavailable',
        title: 'Broker unavailable',
        detail:
          error.rejection.failure._tag === 'PublishTimedOut'
            ? `the broker did not acknowledge within ${error.rejection.failure.afterMs} ms; retry with the same eventIds`
            : 'the broker is unavailable; retry with the same eventIds',
        eventIds: error.rejection.eventIds,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    case 'StoreUnavailable':
      return {
        status: 503,
        type: '/problems/store-unavailable',
        title: 'Store unavailable',
        detail: 'the processed-event store is unavailable; retry later',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
  }
}
