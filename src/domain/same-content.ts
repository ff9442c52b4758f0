import type { UserEvent } from './user-event';

type Content = Pick<UserEvent, 'userId' | 'eventType' | 'payload'>;

/**
 * Whether two copies of one eventId say the same thing: the same userId, eventType and payload,
 * whose objects may list their keys in any order. The timestamp is left out: the server sets it
 * anew on every retry of a request. Copies that differ are a conflict.
 */
export const sameContent = (a: Content, b: Content): boolean =>
  a.userId === b.userId && a.eventType === b.eventType && sameJson(a.payload, b.payload);

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameJson(item, b[index]))
    );
  }
  const [left, right] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]))
  );
}
