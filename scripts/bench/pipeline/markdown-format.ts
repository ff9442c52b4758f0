import type { HttpLegRun } from './http-legs';
import { median } from './stats';

/** Cells of the Markdown report: 'n/a' for what was not measured (NaN, or null from the JSON). */
export const count = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
export const decimal = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
/** Whole milliseconds below 10 still print one decimal, so 0 shows as 0.0 (under 1 ms). */
export const ms = (value: number): string =>
  Number.isFinite(value) ? `${decimal(value, value < 10 ? 1 : 0)}` : 'n/a';
/** CPU µs per event: one decimal below 100, where a tenth still tells two legs apart. */
export const micros = (value: number): string =>
  Number.isFinite(value) ? decimal(value, value < 100 ? 1 : 0) : 'n/a';
export const med = <T>(runs: readonly T[], figure: (run: T) => number): number =>
  median(runs.map(figure));

/** A Markdown table: the first `leftColumns` columns aligned left (text), the others right. */
export function table(
  headings: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  leftColumns = 1,
): string {
  const rule = headings.map((_, column) => (column < leftColumns ? '---' : '--:'));
  return [headings, rule, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** Responses by status over every repetition, e.g. "201: 53,210; 503: 12". */
export function statuses(runs: readonly HttpLegRun[]): string {
  const totals = new Map<string, number>();
  for (const run of runs)
    for (const [status, n] of Object.entries(run.statuses))
      totals.set(status, (totals.get(status) ?? 0) + n);
  return [...totals].map(([status, n]) => `${status}: ${count(n)}`).join('; ') || 'none';
}

/** Median p50 / p99 / max of the runs, ms (autocannon measures whole milliseconds, wrk µs). */
export const latencies = (runs: readonly HttpLegRun[]): string =>
  [
    med(runs, (run) => run.latencyMs.p50),
    med(runs, (run) => run.latencyMs.p99),
    med(runs, (run) => run.latencyMs.max),
  ]
    .map(ms)
    .join(' / ');
