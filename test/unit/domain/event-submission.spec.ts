import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/Either';
import { eventSubmissionCodec, type EventTypePolicy } from '../../../src/domain/event-submission';
import { toValidationIssues, type ValidationIssue } from '../../../src/domain/validation-issue';

const anyType: EventTypePolicy = { kind: 'any' };

function issuesOf(body: unknown, policy: EventTypePolicy = anyType): ValidationIssue[] {
  const decoded = eventSubmissionCodec(policy).decode(body);
  return isLeft(decoded) ? toValidationIssues(decoded.left) : [];
}

describe('EventSubmission codec', () => {
  it('accepts the seed example and keeps its fields', () => {
    const decoded = eventSubmissionCodec(anyType).decode({
      userId: 'user123',
      eventType: 'LOGIN',
      payload: { ip: '127.0.0.1' },
    });
    expect(isRight(decoded) && decoded.right).to.deep.include({
      userId: 'user123',
      eventType: 'LOGIN',
      payload: { ip: '127.0.0.1' },
    });
  });

  it('treats a missing or null payload as an empty object', () => {
    for (const body of [
      { userId: 'u', eventType: 'LOGIN' },
      { userId: 'u', eventType: 'LOGIN', payload: null },
    ]) {
      const decoded = eventSubmissionCodec(anyType).decode(body);
      expect(isRight(decoded) && decoded.right.payload).to.deep.equal({});
    }
  });

  it('names every bad field with a message of its own', () => {
    expect(
      issuesOf({ userId: '   ', eventType: '9LIVES', payload: [1], colour: 'red' }),
    ).to.deep.equal([
      { path: 'userId', message: 'must not be blank' },
      {
        path: 'eventType',
        message: 'must start with a letter and contain only letters, digits, _ . : or -',
      },
      { path: 'payload', message: 'must be a JSON object' },
      { path: 'colour', message: 'is not a known field' },
    ]);
  });

  it('requires userId and eventType', () => {
    expect(issuesOf({})).to.deep.equal([
      { path: 'userId', message: 'is required' },
      { path: 'eventType', message: 'is required' },
    ]);
  });

  it('bounds userId at 256 characters, counted as code points', () => {
    expect(issuesOf({ userId: '😀'.repeat(256), eventType: 'LOGIN' })).to.deep.equal([]);
    expect(issuesOf({ userId: 'u'.repeat(257), eventType: 'LOGIN' })).to.deep.equal([
      { path: 'userId', message: 'must be at most 256 characters' },
    ]);
  });

  it('rejects control characters and lone surrogates in userId', () => {
    expect(issuesOf({ userId: 'a\u0000b', eventType: 'LOGIN' })[0]?.message).to.equal(
      'must not contain control characters',
    );
    expect(issuesOf({ userId: 'a\ud800b', eventType: 'LOGIN' })[0]?.message).to.equal(
      'must be well-formed Unicode',
    );
  });

  it('bounds eventType at 64 characters', () => {
    expect(issuesOf({ userId: 'u', eventType: 'A'.repeat(64) })).to.deep.equal([]);
    expect(issuesOf({ userId: 'u', eventType: 'A'.repeat(65) })[0]?.message).to.equal(
      'must be at most 64 characters',
    );
  });

  it('accepts payloads nested 32 levels deep and rejects 33', () => {
    const nest = (levels: number): unknown => (levels === 1 ? {} : { inner: nest(levels - 1) });
    expect(issuesOf({ userId: 'u', eventType: 'LOGIN', payload: nest(32) })).to.deep.equal([]);
    expect(issuesOf({ userId: 'u', eventType: 'LOGIN', payload: nest(33) })).to.deep.equal([
      { path: 'payload', message: 'must not nest deeper than 32 levels' },
    ]);
  });

  it('accepts a client eventId in any case and stores it in lower case', () => {
    const decoded = eventSubmissionCodec(anyType).decode({
      userId: 'u',
      eventType: 'LOGIN',
      eventId: 'E6A5C1F0-1B2F-4C3D-A4E5-F6A7B8C9D0E1',
    });
    expect(isRight(decoded) && decoded.right.eventId).to.equal(
      'e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e1',
    );
    expect(issuesOf({ userId: 'u', eventType: 'LOGIN', eventId: 'not-a-uuid' })[0]?.path).to.equal(
      'eventId',
    );
  });

  it('accepts only the listed event types when a list is configured', () => {
    const only: EventTypePolicy = { kind: 'only', types: new Set(['LOGIN', 'LOGOUT']) };
    expect(issuesOf({ userId: 'u', eventType: 'LOGOUT' }, only)).to.deep.equal([]);
    expect(issuesOf({ userId: 'u', eventType: 'PURCHASE' }, only)).to.deep.equal([
      { path: 'eventType', message: 'must be one of LOGIN, LOGOUT' },
    ]);
  });

  it('rejects a body that is not an object', () => {
    expect(issuesOf([1, 2])).to.deep.equal([{ path: '(body)', message: 'must be a JSON object' }]);
  });
});
