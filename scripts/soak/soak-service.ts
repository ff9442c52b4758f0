import { resolve } from 'node:path';
import type { Broker } from '../bench/pipeline/broker';
import type { Cleanup } from '../bench/pipeline/cleanup';
import { startServiceProcess, type HttpProcess } from '../bench/pipeline/http-processes';
import { COMPILED_DIR } from '../bench/pipeline/paths';

/** The memory probe as compileProject compiled it beside the service. */
const PROBE = resolve(COMPILED_DIR, 'scripts/soak/memory-probe.js');

/**
 * The compiled service on the cluster, STORE=postgres, EVENT_BUS=kafka and otherwise its
 * defaults (PUBLISH_TIMEOUT_MS included), with the soak's memory probe preloaded: `--expose-gc`
 * for its collections, its lines to `probeFile`.
 */
export function startSoakService(
  cleanup: Cleanup,
  broker: Broker,
  where: { readonly topic: string; readonly groupId: string; readonly databaseUrl: string },
  probeFile: string,
): Promise<HttpProcess> {
  return startServiceProcess(
    'soak-service',
    {
      KAFKA_CLIENT: 'kafkajs',
      KAFKA_BROKER: broker.brokers.join(','),
      KAFKA_TOPIC: where.topic,
      KAFKA_GROUP_ID: where.groupId,
      EVENT_BUS: 'kafka',
      STORE: 'postgres',
      DATABASE_URL: where.databaseUrl,
    },
    cleanup,
    {
      nodeArguments: ['--expose-gc', '-r', PROBE],
      probeVariables: { SOAK_MEMORY_PROBE_FILE: probeFile },
    },
  );
}
