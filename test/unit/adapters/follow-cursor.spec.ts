import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { encodeFollowCursor, FollowCursorText } from '../../../src/adapters/http/follow-cursor';

const text = (plain: string) => Buffer.from(plain, 'utf8').toString('base64url');

describe('the cursor of GET /events/stream', () => {
  it('comes back as it was given, a transaction id beyond 2^53 included', () => {
    for (const cursor of [
      { group: '0', position: 1 },
      { group: '18446744073709551615', position: 999_999_999_999_999 },
    ]) {
      expect(FollowCursorText.decode(encodeFollowCursor(cursor))).to.deep.equal(E.right(cursor));
    }
  });

  it('reads a group with leading zeros as the same number', () => {
    expect(FollowCursorText.decode(text('follow:007:5'))).to.deep.equal(
      E.right({ group: '7', position: 5 }),
    );
  });

  it('refuses anything else, a page cursor of GET /events/processed included', () => {
    for (const input of [
      text('after:5'),
      text('follow:1:'),
      text('follow:-1:5'),
      text('follow:123456789012345678901:5'),
      text('follow:1:1234567890123456'),
      'not base64 at all!',
      42,
    ]) {
      expect(E.isLeft(FollowCursorText.decode(input)), String(input)).to.equal(true);
    }
  });
});
