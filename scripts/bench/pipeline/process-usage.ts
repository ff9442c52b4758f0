import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** What a process used during one scenario. */
export interface ProcessUsage {
  /** user + system CPU time, seconds */
  readonly cpuSeconds: number;
  /** cpuSeconds per wall-clock second, in percent of one core (200 = both cores) */
  readonly cpuPercent: number;
  /** Peak resident set (VmHWM) during the scenario, MB; since process start when it could not be reset */
  readonly peakRssMb: number;
  /** cpuSeconds per event, µs, when the scenario was told how many events it handled */
  readonly cpuMicrosecondsPerEvent?: number;
}

/** Ends a measurement: what the process used since it started, per event when `events` is given. */
export type EndMeasure = (events?: number) => ProcessUsage;

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of `pid`, seconds (fields 14 and 15 of /proc/<pid>/stat). */
export const cpuSeconds = (pid: number): number =>
  cpuSecondsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** utime + stime, seconds, of the text of a /proc/<pid>/stat (also as a process read its own). */
export function cpuSecondsOfStat(stat: string): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** VmHWM of `pid`: its peak resident set, MB. */
export function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] === undefined ? NaN : Number(match[1]) / 1024;
}

/** VmRSS of `pid`: its resident set now, MB. */
export function residentSetMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] === undefined ? NaN : Number(match[1]) / 1024;
}

/**
 * Resets VmHWM to the current resident set (writing 5 to /proc/<pid>/clear_refs, Linux 4.0+), so
 * that the next reading is the peak of the next scenario alone. False when the kernel refused.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU and peak memory of one process, scenario by scenario, and its peak over its whole life
 * (the largest of the scenarios' peaks and of whatever came before, start-up included).
 */
export class UsageMeter {
  private peakMb = 0;

  constructor(readonly pid: number) {}

  /**
   * Measures from now until the returned function is called (it may be called more than once:
   * each call reads from the same start). Its `events` divide the unrounded CPU time.
   */
  start(): EndMeasure {
    this.peakMb = Math.max(this.peakMb, peakRssMb(this.pid));
    resetPeakRss(this.pid);
    const cpuAtStart = cpuSeconds(this.pid);
    const startedAt = performance.now();
    return (events) => {
      const cpu = cpuSeconds(this.pid) - cpuAtStart;
      const wallSeconds = (performance.now() - startedAt) / 1000;
      const peak = peakRssMb(this.pid);
      this.peakMb = Math.max(this.peakMb, peak);
      return {
        cpuSeconds: round(cpu, 2),
        cpuPercent: round((100 * cpu) / wallSeconds, 0),
        peakRssMb: round(peak, 1),
        ...(events === undefined ? {} : { cpuMicrosecondsPerEvent: perEvent(cpu, events) }),
      };
    };
  }

  /** The peak resident set since the process started, MB. */
  lifetimePeakRssMb(): number {
    return round(Math.max(this.peakMb, peakRssMb(this.pid)), 1);
  }

  /** CPU seconds since the process started. */
  lifetimeCpuSeconds(): number {
    return round(cpuSeconds(this.pid), 2);
  }
}

/** `cpuSeconds` / `events`, in µs (NaN, so null in the JSON, for no events). */
export const perEvent = (cpuSeconds: number, events: number): number =>
  events > 0 ? round((cpuSeconds * 1e6) / events, 1) : NaN;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));
