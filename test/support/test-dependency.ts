import { getContainerRuntimeClient } from 'testcontainers';

/** A server the tests found or started; `stop` does nothing for one they only found. */
export interface FoundDependency {
  readonly stop: () => Promise<void>;
}

/**
 * A dependency (broker, database) looked for once, on first use, and shared by every test of
 * the run; `release` stops it only if the tests started it.
 */
export function testDependency<T extends FoundDependency>(find: () => Promise<T>) {
  let found: Promise<T> | undefined;
  return {
    get: (): Promise<T> => (found ??= find()),
    release: async (): Promise<void> => {
      if (found === undefined) return;
      const started = await found.catch(() => undefined);
      found = undefined;
      await started?.stop();
    },
  };
}

/** Whether a Docker engine answers, so testcontainers can start a server. */
export async function dockerAnswers(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
