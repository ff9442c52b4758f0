import type { Migration } from './migration';
import { processedEvents } from './migrations/0001-processed-events';
import { processingFacts } from './migrations/0002-processing-facts';
import { eventSetbacks } from './migrations/0003-event-setbacks';
import { followedInCommitOrder } from './migrations/0004-followed-in-commit-order';

/** Every migration, in version order. Add new ones at the end. */
export const MIGRATIONS: readonly Migration[] = [
  processedEvents,
  processingFacts,
  eventSetbacks,
  followedInCommitOrder,
];
