import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { traceLogFields } from '../../src/adapters/system/trace-log-fields';

/**
 * A logger whose JSON lines the test can read back, from `level` up (default info); `traced`:
 * each line names the span it was written in, as the service's own logger does when tracing is
 * on.
 */
export function capturedLogger({ traced = false, level = 'info' } = {}): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level, ...(traced && { mixin: traceLogFields }) },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines: () => lines };
}

/**
 * Writes the captured lines to `.cache/<name>-service.log` when the test that just ran failed:
 * what the service said is the evidence. For an `afterEach` hook.
 */
export function keepLinesOfFailedTest(
  test: Mocha.Test | undefined,
  name: string,
  lines: () => ReadonlyArray<Record<string, unknown>>,
): void {
  if (test?.state !== 'failed') return;
  writeFileSync(
    resolve(__dirname, `../../.cache/${name}-service.log`),
    lines()
      .map((line) => JSON.stringify(line))
      .join('\n'),
  );
}
