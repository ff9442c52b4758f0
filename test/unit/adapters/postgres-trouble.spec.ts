import { expect } from 'chai';
import { postgresTroubleOf } from '../../../src/adapters/postgres/postgres-trouble';

describe('postgresTroubleOf', () => {
  // What pg, Node and the server said on these machines for each way of failing.
  const said: readonly (readonly [string, string])[] = [
    ['connect ECONNREFUSED 127.0.0.1:1', 'database unreachable'],
    ['getaddrinfo ENOTFOUND no-such-host.invalid', 'database unreachable'],
    ['Connection terminated unexpectedly', 'database unreachable'],
    ['timeout exceeded when trying to connect', 'database unreachable'],
    ['Connection terminated due to connection timeout', 'database unreachable'],
    ['Query read timeout', 'database unreachable'],
    ['database "nosuchdb" does not exist', 'database does not exist'],
    ['role "nosuchrole" does not exist', 'role does not exist'],
    ['password authentication failed for user "events"', 'authentication failed'],
    ['The server does not support SSL connections', 'TLS refused by the server'],
    ['self-signed certificate in certificate chain', 'certificate not trusted'],
    ['certificate has expired', 'certificate expired'],
    ['the database schema is not migrated yet', 'schema not migrated yet'],
    [
      'the database schema is not migrated yet: permission denied for schema x',
      'schema not migrated yet',
    ],
    [
      'the database schema is not migrated yet: connect ECONNREFUSED 127.0.0.1:1',
      'database unreachable',
    ],
    [
      'the database schema is not migrated yet: password authentication failed for user "events"',
      'authentication failed',
    ],
  ];
  for (const [message, trouble] of said)
    it(`says "${trouble}" for "${message}"`, () => {
      expect(postgresTroubleOf(message)).to.equal(`postgres: ${trouble}`);
    });

  it('says unavailable for what it does not know', () => {
    expect(postgresTroubleOf('something else went wrong')).to.equal('postgres: unavailable');
  });
});
