import type { EventId } from '../../domain/event-fields';
import type { ValidationIssue } from '../../domain/validation-issue';
import type { PublishRejected } from '../../application/publish-event';
import type { StoreUnavailable } from '../../application/processed-event-store.port';
import type { DeadLetterFailure } from '../../application/dead-letters.port';

/** Everything expected that a request can run into; each maps to one problem response. */
export type ApiError =
  | {
      readonly _tag: 'InvalidInput';
      readonly detail: string;
      readonly issues: readonly ValidationIssue[];
    }
  | { readonly _tag: 'NotProcessed'; readonly eventId: EventId }
  | { readonly _tag: 'UnknownEvent'; readonly eventId: EventId }
  | { readonly _tag: 'PublishRejected'; readonly rejection: PublishRejected }
  | { readonly _tag: 'IdempotencyKeyReused'; readonly eventIds: readonly EventId[] }
  | { readonly _tag: 'TooManyStreams'; readonly maxStreams: number }
  | DeadLetterFailure
  | StoreUnavailable;

export const invalidInput = (
  detail: string,
  issues: readonly ValidationIssue[] = [],
): ApiError => ({
  _tag: 'InvalidInput',
  detail,
  issues,
});
