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

/**
 * Turns submissions into events (id, timestamp) and publishes them in one write; remembers where
 * each was published, for its status until it is processed.
 */
@injectable()
export class PublishEvent {
  constructor(
    @inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @inject(PUBLISHED_EVENTS) private readonly published: PublishedEvents,
  ) {}

  execute(command: PublishCommand): TE.TaskEither<PublishRejected, readonly UserEvent[]> {
    const timestamp = timestampOf(this.clock.now());
    const events = command.submissions.map((submission, index): UserEvent => ({
      eventId: this.eventIdOf(submission, index, command.idempotencyKey),
      userId: submission.userId,
      eventType: submission.eventType,
      timestamp,
      payload: submission.payload,
    }));
    return pipe(
      this.publisher.publish(events, { requestId: command.requestId }),
      TE.bimap(
        (failure) => ({ failure, eventIds: events.map((event) => event.eventId) }),
        (locations) => {
          this.remember(events, locations);
          return events;
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
