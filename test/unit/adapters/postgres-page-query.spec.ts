import { expect } from 'chai';
import { pageQuery } from '../../../src/adapters/postgres/page-query';
import { databaseFailure } from '../../../src/adapters/postgres/postgres-pool';
import type { EventType, UserId } from '../../../src/domain/event-fields';

describe('pageQuery', () => {
  it('asks for one row more than the limit, in position order, with no filter', () => {
    const { text, values } = pageQuery({ limit: 100 });
    expect(text).to.include('ORDER BY position LIMIT $1').and.not.include('WHERE');
    expect(values).to.deep.equal([101]);
  });

  it('passes every filter as a parameter, never as SQL text', () => {
    const userId = "x'; DROP TABLE processed_events; --" as UserId;
    const { text, values } = pageQuery({
      limit: 2,
      userId,
      eventType: 'LOGIN' as EventType,
      after: 42,
    });
    expect(text).to.include('WHERE user_id = $1 AND event_type = $2 AND position > $3');
    expect(text).to.not.include('DROP');
    expect(values).to.deep.equal([userId, 'LOGIN', 42, 3]);
  });
});

describe('databaseFailure', () => {
  it('is the message, or the code of a system error without one, and never a stack', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(databaseFailure(refused)).to.equal('ECONNREFUSED');
    expect(databaseFailure(new Error('relation "x" does not exist'))).to.equal(
      'relation "x" does not exist',
    );
    expect(databaseFailure(new Error('y'.repeat(500)))).to.have.length(201);
  });
});
