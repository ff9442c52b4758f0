import { runService } from '../support/running-service';
import { capturedLogger, keepLinesOfFailedTest } from '../support/captured-logs';
import { KAFKA_CLIENTS, type KafkaClientName } from '../support/kafka-clients';
import type { LoadedService } from './load-through-fault';

/**
 * A service on each Kafka client, for the suite that calls this: started before its tests with
 * the variables `variablesOf` gives the client, its lines kept as `<suite>-<client>` when a test
 * fails, and stopped after the tests, before the `after` hooks the suite adds later.
 */
export function serviceOfEachClient(
  suite: string,
  variablesOf: (client: KafkaClientName) => Promise<Record<string, string>>,
): () => readonly LoadedService[] {
  const logs = KAFKA_CLIENTS.map(() => capturedLogger());
  let services: LoadedService[] = [];
  before(async () => {
    services = await Promise.all(
      KAFKA_CLIENTS.map(async (client, index) => ({
        name: client,
        app: await runService(await variablesOf(client), undefined, logs[index]!.logger),
        lines: logs[index]!.lines,
      })),
    );
  });
  afterEach(function () {
    for (const [index, client] of KAFKA_CLIENTS.entries())
      keepLinesOfFailedTest(this.currentTest, `${suite}-${client}`, logs[index]!.lines);
  });
  after(async () => {
    await Promise.all(services.map(({ app }) => app.stop()));
  });
  return () => services;
}
