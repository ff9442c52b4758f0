import type { Comparison } from './timing';

export interface ResultRow {
  readonly name: string;
  /** Rows matching the case's filter (1 for findById). */
  readonly matching: number;
  readonly timings: Comparison;
}

const HEADINGS = [
  'case',
  'matching rows',
  'current median ms',
  'current p95 ms',
  'naive median ms',
  'naive p95 ms',
  'naive/current (median)',
];

/** A Markdown table, so a run can be pasted into docs/ as it is. */
export function formatTable(rows: readonly ResultRow[]): string {
  const cells = rows.map(({ name, matching, timings: { current, naive } }) => [
    name,
    matching.toLocaleString('en-US'),
    ms(current.medianMs),
    ms(current.p95Ms),
    ms(naive.medianMs),
    ms(naive.p95Ms),
    `${(naive.medianMs / current.medianMs).toFixed(2)}×`,
  ]);
  const widths = HEADINGS.map((heading, column) =>
    Math.max(heading.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, column) => pad(cell, widths[column] ?? 0, column)).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `-${'-'.repeat(width)}-` : `-${'-'.repeat(width)}:`)).join('|')}|`;
  return [line(HEADINGS), rule, ...cells.map(line)].join('\n');
}

const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);

// Names read best left-aligned, figures right-aligned.
const pad = (cell: string, width: number, column: number): string =>
  column === 0 ? cell.padEnd(width) : cell.padStart(width);
