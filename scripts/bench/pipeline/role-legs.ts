import { retire } from './bench-process';
import { progress, type BenchContext } from './context';
import { GroupLagWatch } from './group-lag';
import { HttpLegs, type HttpLegRun, type ServiceUnderTest } from './http-legs';
import { startServiceProcess, type HttpProcess, type ServiceVariables } from './http-processes';
import { inTurn } from './in-turn';
import type { LoadGenerator } from './load-generator';
import type { BenchResults } from './results';

/** One load against the all-in-one process and against an api beside its worker. */
export interface RolePoint {
  readonly path: '/events/generate' | '/events/batch';
  readonly connections: number;
  readonly eventsPerRequest: number;
  readonly allInOne: readonly HttpLegRun[];
  /** The api's figures; its worker's CPU per event is `cpuMicrosecondsPerEvent.worker`. */
  readonly split: readonly HttpLegRun[];
}

type Processes = Array<BenchResults['processes'][number]>;

// The single POSTs at the connections of their target, and the largest batch.
const SINGLE_CONNECTIONS = 64;

/**
 * SERVICE_ROLE: the service all in one process (SERVICE_ROLE=all), and an api (HTTP, publisher)
 * beside a worker (consumer, store) as two processes, both on PostgreSQL, the store a split
 * needs, under the same loads, taking turns. Each on a topic and group of its own.
 */
export async function rolePhase(
  context: BenchContext,
  load: LoadGenerator,
  processes: Processes,
): Promise<RolePoint[]> {
  progress(
    `starting the service all in one and an api beside a worker (STORE=postgres, ${context.client})`,
  );
  const [allInOne, split] = await Promise.all([
    startDeployment(context, 'roles-all', ['all']),
    startDeployment(context, 'roles-split', ['api', 'worker']),
  ]);
  const legs = new HttpLegs(context, { load, rateLimited: load });
  for (const deployment of [allInOne, split]) {
    await legs.warmUp(deployment.process, context.settings.serviceWarmUpSeconds);
    await deployment.lag.untilZero(120_000);
  }
  const batchSize = Math.max(...context.settings.batchSizes);
  const points = [
    { path: '/events/generate' as const, connections: SINGLE_CONNECTIONS, eventsPerRequest: 1 },
    {
      path: '/events/batch' as const,
      connections: context.settings.batchConnections,
      eventsPerRequest: batchSize,
    },
  ].map((point) => ({ ...point, allInOne: [] as HttpLegRun[], split: [] as HttpLegRun[] }));
  for (let repetition = 0; repetition < context.settings.repetitions; repetition += 1) {
    for (const point of points) {
      const run = (service: ServiceUnderTest) =>
        point.path === '/events/generate'
          ? legs.singleOnService(service, point.connections)
          : legs.batchOnService(service, point.eventsPerRequest);
      const turns = [
        () => run(allInOne).then((leg) => point.allInOne.push(leg)),
        () => run(split).then((leg) => point.split.push(leg)),
      ];
      for (const turn of inTurn(turns, repetition)) await turn();
    }
  }
  for (const deployment of [allInOne, split]) await deployment.stop(processes);
  return points;
}

export interface Deployment extends ServiceUnderTest {
  stop(processes: Processes): Promise<void>;
}

/** What a deployment's processes share beside their topic, group, client and role. */
type DeploymentVariables = Omit<
  ServiceVariables,
  'KAFKA_CLIENT' | 'KAFKA_BROKER' | 'KAFKA_TOPIC' | 'KAFKA_GROUP_ID' | 'SERVICE_ROLE'
>;

const onPostgres = (context: BenchContext): DeploymentVariables => ({
  STORE: 'postgres',
  DATABASE_URL: context.databaseUrl,
});

/** The processes of one deployment (one, or an api and a worker) on one topic and group. */
export async function startDeployment(
  context: BenchContext,
  name: string,
  roles: ReadonlyArray<'all' | 'api' | 'worker'>,
  variables: DeploymentVariables = onPostgres(context),
): Promise<Deployment> {
  const { brokers, runId, cleanup, client } = context;
  const topic = `${runId}-${name}`;
  const groupId = `${runId}-${name}-processor`;
  const started: HttpProcess[] = [];
  for (const role of roles) {
    started.push(
      await startServiceProcess(
        `service-${name}-${role}`,
        {
          ...variables,
          KAFKA_CLIENT: client,
          KAFKA_BROKER: brokers.join(','),
          KAFKA_TOPIC: topic,
          KAFKA_GROUP_ID: groupId,
          SERVICE_ROLE: role,
        },
        cleanup,
      ),
    );
  }
  const [process, worker] = started;
  if (process === undefined) throw new Error(`${name}: no process`);
  const lag = new GroupLagWatch(brokers, groupId, topic);
  const forgetLag = cleanup.add(`close the lag reader of ${name}`, () => lag.close());
  return {
    process,
    ...(worker === undefined ? {} : { worker }),
    lag,
    async stop(processes) {
      await retire(started, processes);
      await lag.close();
      forgetLag();
    },
  };
}
