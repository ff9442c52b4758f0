import { resolve } from 'node:path';

/** The repository's root, whatever the working directory. */
export const ROOT = resolve(__dirname, '../../..');

/** The single broker of most legs: state folder, port and nodes, apart from every test's broker. */
export const SINGLE_BROKER = { home: resolve(ROOT, '.cache/kafka-bench'), port: 19892, nodes: 1 };

/**
 * The three-node cluster of the scaling leg (nodes on 20592, 20594, 20596). With Kafka's default
 * initial rebalance delay, instances started together share the partitions from the first
 * generation on, as in production; with the script's 0, the first to join would drain much of the
 * backlog alone before the others got a partition.
 */
export const BENCH_CLUSTER = {
  home: resolve(ROOT, '.cache/kafka-bench-cluster'),
  port: 20592,
  nodes: 3,
  rebalanceDelayMs: 3000,
};

/** Logs and scratch files of the current run (service logs are large: deleted once read). */
export const RUN_DIR = resolve(ROOT, '.cache/bench-run');

/** Where each run's JSON, Markdown and chart go. */
export const RESULTS_DIR = resolve(ROOT, 'bench/results');

/** The broker's Kafka version, as `scripts/kafka-local.sh` reads it. */
export const BROKER_POM = resolve(ROOT, 'scripts/kafka/pom.xml');

/** Kafka's own tools (ProducerPerformance), fetched by Maven in the broker's version. */
export const KAFKA_TOOLS_POM = resolve(__dirname, 'kafka-tools/pom.xml');
export const kafkaToolsJars = (version: string): string =>
  resolve(ROOT, '.cache/kafka-tools-jars', version);

/**
 * The project compiled by `tsc` once per run: the bench's processes run JavaScript, as the
 * production image does, not ts-node, whose compiler would add its memory and start-up to theirs.
 */
export const TSCONFIG = resolve(ROOT, 'tsconfig.json');
export const COMPILED_DIR = resolve(ROOT, '.cache/bench-dist');
export const SERVICE_MAIN = resolve(ROOT, 'src/main.ts');

/** CPU profiles (`node --cpu-prof`) of the service processes, when BENCH_CPU_PROFILE=1. */
export const PROFILES_DIR = resolve(ROOT, '.cache/bench-profiles');
