import { randomUUID } from 'node:crypto';

/** A name no other test uses, so tests need no global clean-up (topics, groups, users). */
export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
