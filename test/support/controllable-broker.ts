import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../scripts/kafka-local.sh');

/**
 * A broker of one fault test's own (state folder and port), started with the project's local
 * script so that the test can kill, pause and restart it by its PID. Its data survives restarts.
 */
export class ControllableBroker {
  private readonly env: NodeJS.ProcessEnv;

  /** `advertisedPort`: where clients are told to connect, e.g. a proxy in front of `port`. */
  constructor(
    readonly name: string,
    readonly port: number,
    advertisedPort = port,
  ) {
    this.env = {
      ...process.env,
      KAFKA_LOCAL_HOME: this.home,
      KAFKA_LOCAL_PORT: String(port),
      KAFKA_LOCAL_ADVERTISED_PORT: String(advertisedPort),
    };
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private get home(): string {
    return resolve(__dirname, `../../.cache/kafka-fault-${this.name}`);
  }

  /** Stops it if running and forgets all its data. */
  async reset(): Promise<void> {
    await this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  async start(): Promise<void> {
    await run('bash', [SCRIPT, 'start'], { env: this.env, timeout: 300_000 });
  }

  async stop(): Promise<void> {
    await run('bash', [SCRIPT, 'stop'], { env: this.env, timeout: 60_000 });
  }

  /** Sends a signal to the broker process itself, e.g. SIGKILL, SIGSTOP or SIGCONT. */
  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid(), signal);
  }

  private pid(): number {
    return Number(readFileSync(resolve(this.home, 'broker.pid'), 'utf8').trim());
  }
}
