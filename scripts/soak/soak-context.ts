import type { Broker } from '../bench/pipeline/broker';
import type { Cleanup } from '../bench/pipeline/cleanup';
import type { GroupLagWatch } from '../bench/pipeline/group-lag';
import type { HttpProcess } from '../bench/pipeline/http-processes';
import type { SoakSettings } from './settings';

/** What every phase of one soak run shares. */
export interface SoakContext {
  readonly settings: SoakSettings;
  readonly cleanup: Cleanup;
  readonly broker: Broker;
  /** The service, STORE=postgres on the cluster, with the memory probe preloaded. */
  readonly service: HttpProcess;
  readonly topic: string;
  readonly lag: GroupLagWatch;
  /** The scratch schema's URL. */
  readonly databaseUrl: string;
  /** Where the memory probe appends its lines. */
  readonly probeFile: string;
}
