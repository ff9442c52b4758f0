import { releaseKafkaBroker } from './kafka-broker';
import { releasePostgresDatabase } from './postgres-database';

/** Mocha root hooks: whatever the suite started for itself, it stops at the end. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await Promise.all([releaseKafkaBroker(), releasePostgresDatabase()]);
  },
};
