interface Rule {
  readonly trouble: string;
  /** What pg, Node's TLS and sockets, or the server say: pg keeps no code on a failed connect. */
  readonly text: RegExp;
}

// In order: the specific reasons before the unreachable database that follows from all of them.
const RULES: readonly Rule[] = [
  {
    trouble: 'authentication failed',
    text: /password authentication failed|no pg_hba\.conf entry|SASL|authentication failed/i,
  },
  { trouble: 'role does not exist', text: /role ".*" does not exist/i },
  { trouble: 'database does not exist', text: /database ".*" does not exist/i },
  { trouble: 'certificate expired', text: /certificate has expired/i },
  {
    trouble: "certificate does not name the database's host",
    text: /does not match certificate's altnames|Hostname\/IP does not match/i,
  },
  {
    trouble: 'certificate not trusted',
    text: /self[- ]signed certificate|unable to (get local issuer|verify the first) certificate/i,
  },
  { trouble: 'TLS refused by the server', text: /does not support SSL/i },
  {
    trouble: 'database unreachable',
    text: /ECONNREFUSED|connection refused|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|timeout|Connection terminated/i,
  },
  // Last: a schema waiting for a database that is away says why it waits (the rules above).
  { trouble: 'schema not migrated yet', text: /not migrated/i },
];

/**
 * Why the PostgreSQL store does not answer, in an operator's words, from a failure's message:
 * `postgres: database unreachable`, `postgres: authentication failed`, …
 */
export function postgresTroubleOf(detail: string): string {
  const rule = RULES.find((candidate) => candidate.text.test(detail));
  return `postgres: ${rule?.trouble ?? 'unavailable'}`;
}
