import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cleanup } from './cleanup';
import { KAFKA_TOOLS_POM, kafkaToolsJars } from './paths';
import { runCommand } from './run-command';

export interface ProducerPerformanceRun {
  readonly records: number;
  readonly recordBytes: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly avgLatencyMs: number;
  readonly p99LatencyMs: number;
}

/**
 * Kafka's own tools in the broker's version, fetched once with Maven (like the broker jars) into
 * .cache/kafka-tools-jars/<version>; resolves with the folder.
 */
export async function fetchKafkaTools(version: string): Promise<string> {
  const jars = kafkaToolsJars(version);
  if (existsSync(resolve(jars, '.complete'))) return jars;
  console.error(`fetching org.apache.kafka:kafka-tools ${version} with Maven into ${jars}`);
  await runCommand(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      KAFKA_TOOLS_POM,
      `-Dkafka.version=${version}`,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${jars}`,
    ],
    { timeoutMs: 900_000 },
  );
  writeFileSync(resolve(jars, '.complete'), '');
  return jars;
}

// "1000000 records sent, 135135.1 records/sec (33.78 MB/sec), 120.35 ms avg latency, 500.00 ms
// max latency, 110 ms 50th, 300 ms 95th, 400 ms 99th, 480 ms 99.9th."
const SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, [\d.]+ ms max latency, \d+ ms 50th, \d+ ms 95th, (\d+) ms 99th/;

/**
 * The ceiling of the batch legs: `org.apache.kafka.tools.ProducerPerformance` sending `records`
 * records of `recordBytes` each to `topic` as fast as it can, acks=all, the Java client's defaults
 * otherwise (idempotent, linger 5 ms, 16 KiB batches), in a JVM of its own.
 */
export async function producerPerformance(options: {
  readonly jars: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly records: number;
  readonly recordBytes: number;
  readonly cleanup: Cleanup;
}): Promise<ProducerPerformanceRun> {
  const { jars, brokers, topic, records, recordBytes, cleanup } = options;
  let forget: () => void = () => undefined;
  const output = await runCommand(
    'java',
    [
      '-Xms256m',
      '-Xmx512m',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      `${jars}/*`,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(recordBytes),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${brokers.join(',')}`,
      'acks=all',
    ],
    {
      timeoutMs: 300_000,
      onStart: (pid) => {
        forget = cleanup.add(`stop ProducerPerformance (PID ${pid})`, async () => {
          process.kill(pid, 'SIGKILL');
        });
      },
    },
  ).finally(() => forget());
  const match = SUMMARY.exec(output);
  if (match === null) throw new Error(`ProducerPerformance printed no summary:\n${output}`);
  return {
    records: Number(match[1]),
    recordBytes,
    recordsPerSecond: Number(match[2]),
    mbPerSecond: Number(match[3]),
    avgLatencyMs: Number(match[4]),
    p99LatencyMs: Number(match[5]),
  };
}
