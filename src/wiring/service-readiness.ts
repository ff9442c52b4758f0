import type { Readiness } from '../adapters/http/health-routes';
import type { AdapterSet, Checks } from './adapter-set';

/** Readiness of the whole service: not ready while any part is down or once draining began. */
export class ServiceReadiness {
  private draining = false;

  constructor(private readonly sets: readonly Pick<AdapterSet, 'checks' | 'causes'>[]) {}

  drain(): void {
    this.draining = true;
  }

  async check(): Promise<Readiness> {
    const checks: Checks = Object.assign(
      {},
      ...(await Promise.all(this.sets.map((set) => set.checks()))),
    );
    const causes = (await Promise.all(this.sets.map((set) => set.causes?.() ?? []))).flat();
    return {
      ready: !this.draining && Object.values(checks).every((check) => check !== 'down'),
      checks,
      ...(causes.length > 0 && { causes }),
    };
  }
}
