import { residentSetMb } from '../bench/pipeline/process-usage';
import { rounded } from '../bench/pipeline/stats';
import type { MemoryPoint } from './slope';

/**
 * The service's resident set (VmRSS), read from /proc every `everySeconds` from `startedAt`
 * (Date.now()) on, until stopped (a process gone reads as nothing).
 */
export class RssSamples {
  readonly points: MemoryPoint[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly read: () => void;

  constructor(pid: number, startedAt: number, everySeconds: number) {
    this.read = (): void => {
      const mb = residentSetOrNaN(pid);
      const atSeconds = (Date.now() - startedAt) / 1000;
      if (Number.isFinite(mb))
        this.points.push({ atSeconds: rounded(atSeconds, 1), mb: rounded(mb, 1) });
    };
    this.read();
    this.timer = setInterval(this.read, everySeconds * 1000);
  }

  /** Stops, with a last reading: the end of the soak. */
  stop(): void {
    clearInterval(this.timer);
    this.read();
  }
}

function residentSetOrNaN(pid: number): number {
  try {
    return residentSetMb(pid);
  } catch {
    return NaN; // the process has exited: what follows its end says why
  }
}
