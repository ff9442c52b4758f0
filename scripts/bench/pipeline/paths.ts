import { resolve } from 'node:path';

/** The repository's root, whatever the working directory. */
export const ROOT = resolve(__dirname, '../../..');

/** The broker's state folder and port: the bench's own, apart from every test's broker. */
export const BROKER_HOME = resolve(ROOT, '.cache/kafka-bench');
export const BROKER_PORT = 19792;

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
