/** The processed-event store's resources, closed after the bus stopped using them. */
export interface RunningStore {
  stop(): Promise<void>;
}

/** A store that holds nothing to close: in memory, or one a test registered. */
export const NOTHING_TO_CLOSE: RunningStore = { stop: async () => undefined };
