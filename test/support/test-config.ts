import { isLeft } from 'fp-ts/Either';
import { parseConfig, type Config } from '../../src/config/config';

/** A configuration as the service would decode it from these variables (and nothing else). */
export function testConfig(variables: Record<string, string> = {}): Config {
  const decoded = parseConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    EVENT_BUS: 'memory',
    ...variables,
  });
  if (isLeft(decoded)) throw new Error(decoded.left);
  return decoded.right;
}
