import type { SoakSettings } from './settings';

export type RequestKind = 'single' | 'batch' | 'read';
export type ReadKind = 'list' | 'processed' | 'status';

type Mix = Pick<SoakSettings, 'batchEvery' | 'readEvery'>;

/** The kind of the soak's request number `sequence`: batches first, then reads, else single. */
export function requestKind(sequence: number, mix: Mix): RequestKind {
  if (sequence % mix.batchEvery === mix.batchEvery - 1) return 'batch';
  if (sequence % mix.readEvery === 0) return 'read';
  return 'single';
}

const READS: readonly ReadKind[] = ['list', 'processed', 'status'];

/** Reads take turns: a page of one user's events, one event, one event's status. */
export const readKind = (sequence: number): ReadKind => READS[sequence % READS.length]!;

/** The path of a read; `eventId` is a recently acknowledged event's (a page until there is one). */
export function readPath(kind: ReadKind, user: string, eventId: string | undefined): string {
  if (eventId === undefined || kind === 'list')
    return `/events/processed?userId=${encodeURIComponent(user)}&limit=20`;
  return kind === 'processed' ? `/events/processed/${eventId}` : `/events/${eventId}/status`;
}

/** One event as the soak submits it: its own eventId, a user taken from its index. */
export const submission = (eventId: string, index: number, users: number) => ({
  eventId,
  userId: `user-${index % users}`,
  eventType: 'PRODUCT_VIEW',
  payload: { sku: `sku-${index % 997}`, soak: index },
});
