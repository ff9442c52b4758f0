import { KAFKA_CLIENTS, type KafkaClientName } from '../../../test/support/kafka-clients';

/** What one run measures and for how long; `--quick` trades repetitions and length for time. */
export interface BenchSettings {
  readonly mode: 'full' | 'quick';
  /**
   * The Kafka clients (KAFKA_CLIENT) the service's legs run on, each leg once per client and in
   * turn, beside ceilings measured once: `--client librdkafka`, `--client kafkajs,librdkafka`.
   */
  readonly clients: readonly KafkaClientName[];
  /** Each point is measured this many times; the median is reported. */
  readonly repetitions: number;
  /** Length of each HTTP load, in seconds. */
  readonly loadSeconds: number;
  /**
   * Unmeasured load before the first measured leg: the service's (with it the broker's JIT, which
   * takes some 20 s of load to reach its pace) and the no-op route's.
   */
  readonly serviceWarmUpSeconds: number;
  readonly noopWarmUpSeconds: number;
  /** Connections of the single-POST legs. */
  readonly concurrencies: readonly number[];
  /** Events per request of the batch legs, and their connections. */
  readonly batchSizes: readonly number[];
  readonly batchConnections: number;
  /** Connections of the rate-limited end-to-end latency leg. */
  readonly latencyConnections: number;
  /** Records of the backlog drained by the service and by the bare consumer. */
  readonly backlogRecords: number;
  /** Records each ProducerPerformance run sends. */
  readonly producerPerformanceRecords: number;
  /** Distinct userIds of the generated events (the record key, so the partition). */
  readonly users: number;
  /** Partitions of every bench topic on the single broker: the service's default. */
  readonly partitions: number;
  /** The scaling leg: service instances (STORE=postgres, one group) on the three-node cluster. */
  readonly scaling: {
    /** How many instances drain the backlog together, one count after another. */
    readonly instances: readonly number[];
    readonly backlogRecords: number;
    readonly partitions: number;
  };
}

const COMMON = {
  concurrencies: [1, 16, 64, 256, 1024],
  batchSizes: [10, 100, 500],
  batchConnections: 8,
  latencyConnections: 16,
  users: 10_000,
  partitions: 3,
} as const;

export const FULL: Omit<BenchSettings, 'clients'> = {
  ...COMMON,
  mode: 'full',
  repetitions: 3,
  loadSeconds: 10,
  serviceWarmUpSeconds: 30,
  noopWarmUpSeconds: 5,
  backlogRecords: 200_000,
  producerPerformanceRecords: 1_000_000,
  scaling: { instances: [1, 2, 3], backlogRecords: 100_000, partitions: 6 },
};

export const QUICK: Omit<BenchSettings, 'clients'> = {
  ...COMMON,
  mode: 'quick',
  repetitions: 1,
  loadSeconds: 2,
  serviceWarmUpSeconds: 6,
  noopWarmUpSeconds: 1,
  backlogRecords: 20_000,
  producerPerformanceRecords: 100_000,
  scaling: { instances: [1, 2, 3], backlogRecords: 20_000, partitions: 6 },
};

const USAGE = `[--quick] [--client ${KAFKA_CLIENTS.join('|')}[,…]]`;

/** The settings the command line asks for: `--quick`, `--client`; by default kafkajs, full. */
export function settingsFromArguments(args: readonly string[]): BenchSettings {
  let quick = false;
  let clients: readonly KafkaClientName[] = ['kafkajs'];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--client') {
      const named = (args[(i += 1)] ?? '').split(',');
      const unknown = named.filter((name) => !(KAFKA_CLIENTS as readonly string[]).includes(name));
      if (unknown.length > 0) throw new Error(`unknown client(s) ${unknown.join(', ')}: ${USAGE}`);
      clients = [...new Set(named as KafkaClientName[])];
    } else throw new Error(`unknown argument ${arg}: ${USAGE}`);
  }
  return { ...(quick ? QUICK : FULL), clients };
}
