import { releaseKafkaBroker } from './kafka-broker';
import { releaseKafkaCluster } from './kafka-cluster';
import { releasePostgresDatabase } from './postgres-database';

// Long enough for sockets that are closing to close; far shorter than any CI limit.
const EXIT_GRACE_MS = 10_000;

/** Mocha root hooks: whatever the suite started for itself, it stops at the end. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await Promise.all([releaseKafkaBroker(), releaseKafkaCluster(), releasePostgresDatabase()]);
    // Mocha exits by itself once nothing is left open. A handle a test leaked (a server, a
    // client, a timer) would keep it running for ever: name what is still open and fail the run.
    setTimeout(() => {
      const open = process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap');
      process.stderr.write(
        `mocha did not exit ${EXIT_GRACE_MS} ms after the last test; still open: ${open.join(', ')}\n`,
      );
      // Mocha sets the exit code on `exit` from its failure count; this listener runs after it.
      process.on('exit', () => (process.exitCode = 1));
      process.exit(1);
    }, EXIT_GRACE_MS).unref();
  },
};
