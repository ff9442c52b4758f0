import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RESULTS_DIR } from '../bench/pipeline/paths';
import { pretty } from '../bench/pipeline/write-results';
import { renderSoakChart } from './soak-chart';
import { soakMarkdown } from './soak-markdown';
import type { SoakResults } from './soak-results';

/** `soak-<start time>`, as the bench names its files (colons would trouble some file systems). */
export const soakName = (results: Pick<SoakResults, 'startedAt'>): string =>
  `soak-${results.startedAt.slice(0, 19).replace(/:/g, '-')}`;

/**
 * Writes the run as JSON, Markdown (both through Prettier) and SVG under bench/results/; answers
 * the files and the Markdown.
 */
export async function writeSoakResults(
  results: SoakResults,
): Promise<{ readonly files: string[]; readonly markdown: string }> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = soakName(results);
  const path = (extension: string): string => resolve(RESULTS_DIR, `${name}.${extension}`);
  const files: Array<[string, string]> = [
    [path('json'), await pretty(path('json'), JSON.stringify(results, null, 2))],
    [path('md'), await pretty(path('md'), soakMarkdown(results, `${name}.svg`))],
    [path('svg'), await renderSoakChart(results)],
  ];
  for (const [file, text] of files) writeFileSync(file, text);
  return { files: files.map(([file]) => file), markdown: files[1]![1] };
}
