import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { RESULTS_DIR } from './paths';
import type { BenchResults } from './results';
import { clientsComparison } from './markdown-clients';
import { resultNames } from './result-names';

/**
 * Writes the run as JSON, Markdown and SVG under bench/results/, each twice: under its start time
 * and as latest. JSON and Markdown go through Prettier, so `npm run lint` finds them clean.
 */
export async function writeResults(
  results: BenchResults,
  markdown: (chartFile: string) => string,
  svg: string,
): Promise<string[]> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const written: string[] = [];
  for (const name of Object.values(resultNames(results))) {
    const files: Array<[string, string]> = [
      [`${name}.json`, JSON.stringify(results, null, 2)],
      [`${name}.md`, markdown(`${name}.svg`)],
      [`${name}.svg`, svg],
    ];
    for (const [file, text] of files) {
      const path = resolve(RESULTS_DIR, file);
      writeFileSync(path, file.endsWith('.svg') ? text : await pretty(path, text));
      written.push(path);
    }
  }
  return written;
}

/** A run on several clients: their side-by-side table, as `<stamp>-clients.md` and latest. */
export async function writeClientsComparison(runs: readonly BenchResults[]): Promise<string[]> {
  const [first] = runs;
  if (first === undefined) return [];
  mkdirSync(RESULTS_DIR, { recursive: true });
  const written: string[] = [];
  for (const name of Object.values(resultNames({ ...first, client: 'clients' }))) {
    const path = resolve(RESULTS_DIR, `${name}.md`);
    writeFileSync(path, await pretty(path, clientsComparison(runs)));
    written.push(path);
  }
  return written;
}

/** `text` as Prettier formats a file at `path` under the repository's configuration. */
export async function pretty(path: string, text: string): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(text, { ...options, filepath: path });
}
