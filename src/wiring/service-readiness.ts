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
    const each = await Promise.all(this.sets.map((set) => set.checks()));
    const checks: Checks = Object.assign({}, ...each);
    // A set's causes explain its own parts only while one of them is down.
    const causes = (
      await Promise.all(
        this.sets.map((set, n) =>
          Object.values(each[n] ?? {}).includes('down') ? (set.causes?.() ?? []) : [],
        ),
      )
    ).flat();
    return {
      ready: !this.draining && Object.values(checks).every((check) => check !== 'down'),
      checks,
      ...(causes.length > 0 && { causes }),
    };
  }
}
