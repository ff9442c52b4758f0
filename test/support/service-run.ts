import type { ChildProcess } from 'node:child_process';
import { eventually } from './eventually';
import { eventOutcomes, type EventOutcome } from './event-outcomes';
import { collect, exitOf, spawnService } from './service-process';

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly outcomes: () => EventOutcome[];
}

/**
 * Successive runs of the service process with one configuration, as a supervisor restarts it
 * after a crash, and what every run logged about the events it handled.
 */
export class ServiceRuns {
  private readonly ended: Run[] = [];
  private current: Run;

  constructor(private readonly variables: Record<string, string>) {
    this.current = this.spawn();
  }

  /** Ends the current run at once, as a crash or the OOM killer would: no shutdown code runs. */
  async kill(): Promise<void> {
    this.current.child.kill('SIGKILL');
    await this.current.exited;
  }

  /** Starts the next run; resolves with the ms until it handled its first record. */
  async restart(): Promise<number> {
    const started = Date.now();
    const run = this.spawn();
    this.ended.push(this.current);
    this.current = run;
    await eventually(
      'a record handled after the restart',
      () => run.outcomes().length > 0 || undefined,
      60_000,
    );
    return Date.now() - started;
  }

  /** Stops the current run with SIGTERM; resolves with its exit code. */
  stop(): Promise<number | null> {
    this.current.child.kill('SIGTERM');
    return this.current.exited;
  }

  /** Every "event <outcome>" line of every run, in order. */
  outcomes(): EventOutcome[] {
    return this.all().flatMap((run) => run.outcomes());
  }

  /** Kills whatever still runs, for clean-up after a failed test. */
  async killAll(): Promise<void> {
    const running = this.all().filter(
      (run) => run.child.exitCode === null && run.child.signalCode === null,
    );
    for (const run of running) run.child.kill('SIGKILL');
    await Promise.all(running.map((run) => run.exited));
  }

  private all(): Run[] {
    return [...this.ended, this.current];
  }

  private spawn(): Run {
    const child = spawnService(this.variables);
    const stdout = collect(child.stdout);
    return { child, exited: exitOf(child), outcomes: () => eventOutcomes(stdout()) };
  }
}
