import { within } from './waiting';

interface Step {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
 * Everything the run started, stopped in reverse order: at the end, after a failure and on
 * Ctrl-C or SIGTERM. A step that fails or hangs is reported and the others still run.
 */
export class Cleanup {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  /** Who started it all, for the line printed on Ctrl-C: the bench, the soak. */
  constructor(private readonly owner = 'the bench') {}

  /** Adds a step; the returned function removes it once its resource was stopped normally. */
  add(name: string, run: () => Promise<void>): () => void {
    const step = { name, run };
    this.steps.push(step);
    return () => {
      const index = this.steps.indexOf(step);
      if (index >= 0) this.steps.splice(index, 1);
    };
  }

  /** Runs every step still registered, newest first; safe to call more than once. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
        try {
          await within(`cleanup: ${step.name}`, 90_000, step.run());
        } catch (error) {
          console.error(`cleanup: ${step.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }

  /** On Ctrl-C or SIGTERM: stops everything, then exits with 130; after a crash, with 1. */
  onInterrupt(): void {
    const stop = (signal: NodeJS.Signals): void => {
      console.error(`\n${signal}: stopping everything ${this.owner} started`);
      void this.runAll().finally(() => process.exit(130));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // kafkajs can let a request timeout escape as an unhandled rejection (issues 796, 702): a
    // broken leg then fails on its own deadline, with everything stopped.
    process.on('unhandledRejection', (reason) =>
      console.error(
        `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`,
      ),
    );
    process.once('uncaughtException', (error) => {
      console.error(error.stack ?? error.message);
      void this.runAll().finally(() => process.exit(1));
    });
  }
}
