import { Socket } from 'node:net';
import { releaseKafkaBroker } from './kafka-broker';
import { releaseKafkaCluster } from './kafka-cluster';
import { releasePostgresDatabase } from './postgres-database';
import { releaseSecuredKafka } from './secured-kafka';

// Long enough for sockets that are closing to close; far shorter than any CI limit.
const EXIT_GRACE_MS = 10_000;

/** Mocha root hooks: whatever the suite started for itself, it stops at the end. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await Promise.all([
      releaseKafkaBroker(),
      releaseKafkaCluster(),
      releasePostgresDatabase(),
      releaseSecuredKafka(),
    ]);
    // Mocha exits by itself once nothing is left open. A handle a test leaked (a server, a
    // client, a timer) would keep it running for ever: name what is still open and fail the run.
    setTimeout(() => {
      const open = [
        ...process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap'),
        ...openSockets(),
      ];
      process.stderr.write(
        `mocha did not exit ${EXIT_GRACE_MS} ms after the last test; still open: ${open.join(', ')}\n`,
      );
      // Mocha sets the exit code on `exit` from its failure count; this listener runs after it.
      process.on('exit', () => (process.exitCode = 1));
      process.exit(1);
    }, EXIT_GRACE_MS).unref();
  },
};

/** Where each open socket leads, so that a leak names its peer (a broker's port, a server's). */
function openSockets(): string[] {
  // process._getActiveHandles is undocumented, but the only way to reach the sockets themselves.
  const handles = (
    process as unknown as { _getActiveHandles: () => unknown[] }
  )._getActiveHandles();
  return handles
    .filter((handle): handle is Socket => handle instanceof Socket)
    .filter((socket) => !socket.destroyed && socket.remotePort !== undefined)
    .map((socket) => `socket ${socket.localPort} -> ${socket.remoteAddress}:${socket.remotePort}`);
}
