import { resolve } from 'node:path';
import { spawnCompiled, whileAlive, type BenchProcess } from './bench-process';
import type { Cleanup } from './cleanup';
import { SERVICE_MAIN } from './paths';
import { eventually } from '../../../test/support/eventually';
import { freePort } from '../../../test/support/free-port';
import type { KafkaClientName } from '../../../test/support/kafka-clients';

/** A process that answers HTTP on 127.0.0.1. */
export interface HttpProcess extends BenchProcess {
  readonly url: string;
}

/** What distinguishes one service process of the bench from another; all else is default. */
export interface ServiceVariables {
  readonly KAFKA_CLIENT: KafkaClientName;
  readonly KAFKA_BROKER: string;
  readonly KAFKA_TOPIC: string;
  readonly KAFKA_TOPIC_PARTITIONS?: string;
  readonly KAFKA_GROUP_ID: string;
  readonly STORE: 'memory' | 'postgres';
  /** kafka (the service's default) or memory. */
  readonly EVENT_BUS?: 'kafka' | 'memory';
  readonly DATABASE_URL?: string;
  /** all (the default), api or worker: the last two need STORE=postgres. */
  readonly SERVICE_ROLE?: 'all' | 'api' | 'worker';
  /** Tracing on, exporting there (the bench's OTLP sink), with this sampler. */
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  readonly OTEL_TRACES_SAMPLER?: string;
  readonly OTEL_TRACES_SAMPLER_ARG?: string;
}

/** How a service process is started, beyond its variables. */
export interface ServiceStart {
  /** Return only once GET /health/ready answers 200 (the default). */
  readonly waitUntilReady?: boolean;
  /** Arguments of node before the service's entry point (a probe: `--expose-gc`, `-r`). */
  readonly nodeArguments?: readonly string[];
  /** Variables the service does not read, for what nodeArguments preload. */
  readonly probeVariables?: Readonly<Record<string, string>>;
}

const START_TIMEOUT_MS = 120_000;

/** The real service, `src/main.ts`, with default settings but for `variables` and its port. */
export async function startServiceProcess(
  name: string,
  variables: ServiceVariables,
  cleanup: Cleanup,
  options: ServiceStart = {},
): Promise<HttpProcess> {
  const port = await freePort();
  const service = spawnCompiled(
    `${name}-${variables.KAFKA_CLIENT}`,
    SERVICE_MAIN,
    { ...options.probeVariables, ...variables, PORT: String(port) },
    cleanup,
    options.nodeArguments,
  );
  const url = `http://127.0.0.1:${port}`;
  if (options.waitUntilReady ?? true) await untilAnswering(service, `${url}/health/ready`);
  return { ...service, url };
}

/** The ceiling of the HTTP legs: the service's Koa app with a publisher that answers at once. */
export const startNoopRouteProcess = (cleanup: Cleanup): Promise<HttpProcess> =>
  startCeilingProcess('noop-route', 'noop-route-server.ts', cleanup);

/** The lower ceiling: Koa, @koa/router and koa-bodyparser answering 201 at once, nothing else. */
export const startBareFrameworkProcess = (cleanup: Cleanup): Promise<HttpProcess> =>
  startCeilingProcess('bare-framework', 'bare-framework-server.ts', cleanup);

/** The stand-in for a collector that the traced legs export their spans to. */
export const startOtlpSinkProcess = (cleanup: Cleanup): Promise<HttpProcess> =>
  startCeilingProcess('otlp-sink', 'otlp-sink.ts', cleanup);

/** A server of this folder on a free port (PORT), once it answers GET /health/ready. */
async function startCeilingProcess(
  name: string,
  file: string,
  cleanup: Cleanup,
): Promise<HttpProcess> {
  const port = await freePort();
  const server = spawnCompiled(name, resolve(__dirname, file), { PORT: String(port) }, cleanup);
  const url = `http://127.0.0.1:${port}`;
  await untilAnswering(server, `${url}/health/ready`);
  return { ...server, url };
}

async function untilAnswering(process: BenchProcess, url: string): Promise<void> {
  await whileAlive(
    process,
    eventually(
      `${process.name} ready at ${url}`,
      () =>
        fetch(url).then(
          (answer) => (answer.status === 200 ? true : undefined),
          () => undefined,
        ),
      START_TIMEOUT_MS,
      200,
    ),
  );
}
