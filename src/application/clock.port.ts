import { portToken } from './port-token';

/** The current time. Tests substitute a fixed clock; nothing else calls `new Date()`. */
export interface Clock {
  /**
   * The wall clock's current instant, for times people read and compare with other machines'.
   * Never fails, but promises no order: it may step back (an NTP correction, a person setting
   * it) or jump ahead, so two readings may come out reversed. What compares its readings copes:
   * a duration from them is clamped at 0, a window of time also ends when the clock went back
   * before its start, and reports of one source keep their order by stamps that never go back.
   * Deadlines and timeouts are not measured on it.
   */
  now(): Date;
}

export const CLOCK = portToken<Clock>('Clock');
