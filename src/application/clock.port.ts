import { portToken } from './port-token';

/** The current time. Tests substitute a fixed clock; nothing else calls `new Date()`. */
export interface Clock {
  /** The current instant. Never fails; successive calls never go backwards by design of callers. */
  now(): Date;
}

export const CLOCK = portToken<Clock>('Clock');
