import type { Config } from '../config/config';

/** The parts of the service a process runs; `SERVICE_ROLE` picks them. */
export interface ServiceParts {
  /** The event routes over HTTP: publishing events, and reading what was processed. */
  readonly intake: boolean;
  /** The consumer group member that processes events, and the dead letters it writes. */
  readonly processing: boolean;
}

/**
 * `all` runs both parts in one process; `api` only the intake, `worker` only the processing, so
 * that each can be scaled on its own (several api processes behind a load balancer, as many
 * workers as the topic has partitions). Both always serve health and metrics.
 */
export const partsOf = (role: Config['role']): ServiceParts => ({
  intake: role !== 'worker',
  processing: role !== 'api',
});
