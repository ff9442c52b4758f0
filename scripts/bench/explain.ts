import type { Client } from 'pg';
import type { Sql } from '../../src/adapters/postgres/sql';
import { pageQuery } from '../../src/adapters/postgres/page-query';
import type { BenchCase } from './bench-cases';
import { naivePageQuery } from './naive-store';

/**
 * Prints `EXPLAIN (ANALYZE, BUFFERS)` of each page case, the store's query and the naive one,
 * with the same parameters the bench used (pg sends them unnamed, so each is planned with its
 * values, as here).
 */
export async function printPlans(client: Client, cases: readonly BenchCase[]): Promise<void> {
  for (const { name, query } of cases) {
    if (query === undefined) continue;
    await printPlan(client, `${name}: current (pageQuery)`, pageQuery(query));
    await printPlan(client, `${name}: naive`, naivePageQuery(query));
  }
}

async function printPlan(client: Client, title: string, sql: Sql): Promise<void> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
    sql.values,
  );
  console.log(`\n### ${title}\n\n-- ${sql.text}\n-- parameters: ${JSON.stringify(sql.values)}`);
  console.log(rows.map((row) => row['QUERY PLAN']).join('\n'));
}
