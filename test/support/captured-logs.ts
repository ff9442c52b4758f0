import pino, { type Logger } from 'pino';

/** A logger whose JSON lines the test can read back. */
export function capturedLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines: () => lines };
}
