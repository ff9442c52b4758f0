import type { GroupLagWatch } from '../bench/pipeline/group-lag';
import type { MinuteStats } from './minute-stats';

/**
 * The consumer group's committed lag, read every `everySeconds` into the minute it fell in; a
 * reading the broker did not answer (a node restarting) is left out. One reading at a time.
 */
export class LagSamples {
  private readonly timer: NodeJS.Timeout;
  private reading = false;

  constructor(watch: GroupLagWatch, minutes: MinuteStats, startedAt: number, everySeconds: number) {
    this.timer = setInterval(() => {
      if (this.reading) return;
      this.reading = true;
      const at = Date.now() - startedAt;
      void watch
        .total()
        .then((lag) => {
          if (lag !== undefined) minutes.lag(at, lag);
        })
        .catch(() => undefined)
        .finally(() => (this.reading = false));
    }, everySeconds * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
