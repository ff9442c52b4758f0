import { isLeft } from 'fp-ts/Either';
import type { Config } from '../config/config';
import { configFromEnvironment } from '../config/environment';

/**
 * Runs one of the service's command-line tools the way `main` runs the service: the
 * configuration is read and decoded first (an invalid one is one line and exit 1), then `body`
 * runs with the arguments and its number is the exit code. Anything thrown is one line on stderr,
 * `<name>: <explain(error)>`, and exit 1: an operator reads the cause, never a stack.
 */
export function runCommand(
  name: string,
  body: (config: Config, args: readonly string[]) => Promise<number>,
  explain: (error: unknown) => string,
): void {
  const run = async (): Promise<number> => {
    const config = configFromEnvironment();
    if (isLeft(config)) {
      process.stderr.write(`${config.left}\n`);
      return 1;
    }
    return body(config.right, process.argv.slice(2));
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${explain(error)}\n`);
      process.exit(1);
    },
  );
}
