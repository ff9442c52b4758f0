import { Kafka, logLevel } from 'kafkajs';

/**
 * The ceiling of the memory-store drain, run in a process of its own: a bare kafkajs consumer in
 * a fresh group reading the backlog with `eachBatch`, every partition at once, and nothing but
 * `JSON.parse` per value. Prints one JSON line: records, first and last record's time, events/s,
 * and its own CPU (user + system, the utime + stime of /proc/<pid>/stat, read by the process
 * itself: the bench cannot read it from outside once the process has exited).
 * Env: BENCH_BROKERS, BENCH_TOPIC, BENCH_GROUP, BENCH_RECORDS, BENCH_PARTITIONS.
 */
const variable = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};
const brokers = variable('BENCH_BROKERS').split(',');
const topic = variable('BENCH_TOPIC');
const groupId = variable('BENCH_GROUP');
const expected = Number(variable('BENCH_RECORDS'));
const partitions = Number(variable('BENCH_PARTITIONS'));

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-bare-consumer', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId });
  let records = 0;
  let parsedEvents = 0;
  let firstAt = 0;
  let lastAt = 0;
  let allRead: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allRead = resolve));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: partitions,
    eachBatch: async ({ batch }) => {
      if (firstAt === 0) firstAt = Date.now();
      for (const message of batch.messages) {
        const value = JSON.parse(message.value?.toString('utf8') ?? 'null') as {
          eventId?: unknown;
        };
        if (typeof value.eventId === 'string') parsedEvents += 1;
        records += 1;
      }
      if (records >= expected && lastAt === 0) {
        lastAt = Date.now();
        allRead();
      }
    },
  });
  const timeout = setTimeout(() => {
    console.error(`bare consumer: ${records} of ${expected} records after 10 min`);
    process.exit(1);
  }, 600_000);
  await done;
  // Read when the last record was read, as the service drain's CPU is read at lag 0.
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearTimeout(timeout);
  await consumer.disconnect();
  const seconds = (lastAt - firstAt) / 1000;
  console.log(
    JSON.stringify({
      records,
      parsedEvents,
      firstAt,
      lastAt,
      eventsPerSecond: records / seconds,
      cpuSeconds,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
