import { isRight } from 'fp-ts/Either';
import type { ProcessedEventStore } from '../application/processed-event-store.port';
import type { Readiness } from '../adapters/http/health-routes';
import { upOrDown, type RunningBus } from './running-bus';

/** Readiness of the whole service: not ready while any part is down or once draining began. */
export class ServiceReadiness {
  private draining = false;

  constructor(
    private readonly bus: RunningBus,
    private readonly store: ProcessedEventStore,
  ) {}

  drain(): void {
    this.draining = true;
  }

  async check(): Promise<Readiness> {
    const storeUp = isRight(await this.store.ping()());
    const checks = { ...this.bus.checks(), store: upOrDown(storeUp) };
    return {
      ready: !this.draining && Object.values(checks).every((check) => check !== 'down'),
      checks,
    };
  }
}
