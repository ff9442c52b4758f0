import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { startService } from '../../src/composition-root';
import type { ServiceRuntime } from '../../src/service-runtime';
import { testConfig } from './test-config';

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
