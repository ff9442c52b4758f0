import type { EventId } from '../domain/event-fields';
import { portToken } from './port-token';

/** Source of event ids. */
export interface IdGenerator {
  /** A fresh random id, unique with overwhelming probability. */
  newEventId(): EventId;
  /**
   * The same id for the same name, always and on every instance (a name-based UUID), so that a
   * retried request carrying the same idempotency key yields the same event.
   */
  eventIdFor(name: string): EventId;
}

export const ID_GENERATOR = portToken<IdGenerator>('IdGenerator');
