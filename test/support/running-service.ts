import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { startService } from '../../src/composition-root';
import type { ServiceRuntime } from '../../src/wiring/service-runtime';
import { testConfig } from './test-config';
import { kafkaBrokers } from './kafka-broker';
import { unique } from './unique';

export interface RunningService {
  readonly url: string;
  readonly service: ServiceRuntime;
  readonly stop: () => Promise<void>;
}

/** The real service, built by the composition root from these variables, on a free port. */
export async function runService(
  variables: Record<string, string> = {},
  overrides?: (container: DependencyContainer) => void,
  logger?: Logger,
): Promise<RunningService> {
  const service = await startService(testConfig(variables), { overrides, logger });
  const { port } = await service.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, service, stop: () => service.stop() };
}

/** POSTs `body` as JSON (or as given when it is a string). */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * The variables of a service on the tests' Kafka broker with a topic (its DLQ `<topic>.dlq`) and
 * a client id, hence a consumer group, of its own.
 */
export const onKafka = async (topic: string): Promise<Record<string, string>> => ({
  EVENT_BUS: 'kafka',
  KAFKA_BROKERS: (await kafkaBrokers()).join(','),
  KAFKA_TOPIC: topic,
  KAFKA_CLIENT_ID: unique('svc'),
});
