import { inject, injectable } from 'tsyringe';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { EventSubmission } from '../domain/event-submission';
import { timestampOf, type EventId } from '../domain/event-fields';
import type { UserEvent } from '../domain/user-event';
import { CLOCK, type Clock } from './clock.port';
import { ID_GENERATOR, type IdGenerator } from './id-generator.port';
import { EVENT_PUBLISHER, type EventPublisher, type PublishFailure } from './event-publisher.port';
import { PUBLISHED_EVENTS, type PublishedEvents } from './published-events.port';
import { PROCESSED_EVENT_STORE, type ProcessedEventStore } from './processed-event-store.port';
import { sameContent } from '../domain/same-content';
import type { RecordLocation } from './record-location';

export interface PublishCommand {
  readonly submissions: readonly EventSubmission[];
  /** The client's retry token: with it, a resubmission yields the same event ids. */
  readonly idempotencyKey?: string | undefined;
  readonly requestId: string;
}

/** Publishing failed; the ids let the client retry without creating new events. */
export interface PublishRejected {
  readonly failure: PublishFailure;
  readonly eventIds: readonly EventId[];
}

/** A keyed request whose events were processed before with other content: nothing published. */
export interface IdempotencyKeyReused {
  /** The events processed with other content than this request's. */
  readonly reused: readonly EventId[];
}

export const isKeyReused = (
  refusal: PublishRejected | IdempotencyKeyReused,
): refusal is IdempotencyKeyReused => 'reused' in refusal;

/** The request's events, and whether they were published now or found processed already. */
export interface Published {
  readonly events: readonly UserEvent[];
  /** A keyed request seen before: every event was processed with this content, none published. */
  readonly repeated: boolean;
}

/**
 * Turns submissions into events (id, timestamp) and publishes them in one write; remembers where
 * each was published, for its status until it is processed. A request with an Idempotency-Key is
 * first looked up (one lookup, only for keyed requests): see `unlessSeenBefore`.
 */
@injectable()
export class PublishEvent {
  constructor(
    @inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @inject(PUBLISHED_EVENTS) private readonly published: PublishedEvents,
    @inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore,
  ) {}

  execute(
    command: PublishCommand,
  ): TE.TaskEither<PublishRejected | IdempotencyKeyReused, Published> {
    const timestamp = timestampOf(this.clock.now());
    const events = command.submissions.map((submission, index): UserEvent => ({
      eventId: this.eventIdOf(submission, index, command.idempotencyKey),
      userId: submission.userId,
      eventType: submission.eventType,
      timestamp,
      payload: submission.payload,
    }));
    const publish = () => this.publish(events, command.requestId);
    return command.idempotencyKey === undefined
      ? publish()
      : this.unlessSeenBefore(events, publish);
  }

  /**
   * A keyed request again (IETF Idempotency-Key draft): when every event was processed with this
   * content, the first answer is given again and nothing is published twice; when any was
   * processed with other content, the key is being reused for something else: refused, nothing
   * published. A store that cannot answer does not hold the request up: the consumer still sees
   * such a reuse, as a conflict, as it does one that races the first request's processing.
   */
  private unlessSeenBefore(
    events: readonly UserEvent[],
    publish: () => TE.TaskEither<PublishRejected, Published>,
  ): TE.TaskEither<PublishRejected | IdempotencyKeyReused, Published> {
    return pipe(
      this.store.findByIds(events.map((event) => event.eventId)),
      TE.orElseW(() => TE.right(new Map<EventId, UserEvent>())),
      TE.chainW((stored): TE.TaskEither<PublishRejected | IdempotencyKeyReused, Published> => {
        const reused = events.filter((event) => {
          const earlier = stored.get(event.eventId);
          return earlier !== undefined && !sameContent(earlier, event);
        });
        if (reused.length > 0) return TE.left({ reused: reused.map((event) => event.eventId) });
        return events.every((event) => stored.has(event.eventId))
          ? TE.right({ events, repeated: true })
          : publish();
      }),
    );
  }

  private publish(
    events: readonly UserEvent[],
    requestId: string,
  ): TE.TaskEither<PublishRejected, Published> {
    return pipe(
      this.publisher.publish(events, { requestId }),
      TE.bimap(
        (failure) => ({ failure, eventIds: events.map((event) => event.eventId) }),
        (locations) => {
          this.remember(events, locations);
          return { events, repeated: false };
        },
      ),
    );
  }

  private remember(events: readonly UserEvent[], locations: readonly RecordLocation[]): void {
    const publishedAt = this.clock.now();
    this.published.remember(
      events.map((event, index) => ({
        eventId: event.eventId,
        location: locations[index]!,
        publishedAt,
      })),
    );
  }

  // An explicit id wins; otherwise the key names the event, per user and position in the request.
  private eventIdOf(submission: EventSubmission, index: number, key: string | undefined): EventId {
    if (submission.eventId !== undefined) return submission.eventId;
    if (key === undefined) return this.ids.newEventId();
    return this.ids.eventIdFor(JSON.stringify([submission.userId, key, index]));
  }
}
