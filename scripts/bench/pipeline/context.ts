import type { Cleanup } from './cleanup';
import type { BenchSettings } from './settings';
import type { KafkaClientName } from '../../../test/support/kafka-clients';

/** What every leg of one run shares. */
export interface BenchContext {
  readonly settings: BenchSettings;
  readonly cleanup: Cleanup;
  readonly brokers: readonly string[];
  /** The Kafka client the service's processes run on (KAFKA_CLIENT). */
  readonly client: KafkaClientName;
  /** Prefix of this run's topics and groups, so that no two runs share one. */
  readonly runId: string;
  /** The scratch schema's URL (search_path set), for STORE=postgres and the bare insert. */
  readonly databaseUrl: string;
}

/** A progress line on standard error, with the time since the run started. */
export function progress(message: string): void {
  const seconds = (performance.now() / 1000).toFixed(0).padStart(4);
  console.error(`[${seconds} s] ${message}`);
}
