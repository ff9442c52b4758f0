import { expect } from 'chai';
import { pageQuery } from '../../../src/adapters/postgres/page-query';
import type { EventType, UserId } from '../../../src/domain/event-fields';

describe('pageQuery', () => {
  it('asks for one row more than the limit, in position order, with no filter', () => {
    const { text, values } = pageQuery({ limit: 100 });
    expect(text).to.include('WHERE (position) > ($1) ORDER BY position LIMIT $2');
    expect(values).to.deep.equal([0, 101]);
  });

  it('orders a filtered page by the filtered columns and position, as its index does', () => {
    const { text, values } = pageQuery({ limit: 10, userId: 'u' as UserId });
    expect(text).to.include(
      'WHERE (user_id, position) > ($1, $2) AND (user_id) <= ($1) ORDER BY user_id, position LIMIT $3',
    );
    expect(values).to.deep.equal(['u', 0, 11]);
  });

  it('passes every filter as a parameter, never as SQL text', () => {
    const userId = "x'; DROP TABLE processed_events; --" as UserId;
    const { text, values } = pageQuery({
      limit: 2,
      userId,
      eventType: 'LOGIN' as EventType,
      after: 42,
    });
    expect(text).to.include(
      'WHERE (user_id, event_type, position) > ($1, $2, $3) AND (user_id, event_type) <= ($1, $2)',
    );
    expect(text).to.not.include('DROP');
    expect(values).to.deep.equal([userId, 'LOGIN', 42, 3]);
  });
});
