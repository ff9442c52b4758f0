import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/Either';
import { fromRecordValue, toRecord } from '../../../src/adapters/kafka/user-event-record';
import { aUserEvent } from '../../support/builders';

describe('Kafka record of a UserEvent', () => {
  it('is keyed by user with the event as JSON and CloudEvents headers', () => {
    const event = aUserEvent();
    const record = toRecord(event, 'urn:test', 'req-1');
    expect(record.key).to.equal(event.userId);
    expect(JSON.parse(String(record.value))).to.deep.equal(event);
    expect(record.headers).to.deep.equal({
      ce_specversion: '1.0',
      ce_id: event.eventId,
      ce_type: event.eventType,
      ce_source: 'urn:test',
      ce_time: event.timestamp,
      'content-type': 'application/json',
      'x-request-id': 'req-1',
    });
  });

  it('decodes back to the same event', () => {
    const event = aUserEvent();
    const decoded = fromRecordValue(Buffer.from(String(toRecord(event, 'urn:test', 'r').value)));
    expect(isRight(decoded) && decoded.right).to.deep.equal(event);
  });

  it('ignores fields a newer producer added', () => {
    const event = aUserEvent();
    const decoded = fromRecordValue(Buffer.from(JSON.stringify({ ...event, schemaVersion: 2 })));
    expect(isRight(decoded) && decoded.right).to.deep.equal(event);
  });

  it('classifies what can never become an event', () => {
    const reasonOf = (value: Buffer | null) => {
      const decoded = fromRecordValue(value);
      return isLeft(decoded) ? decoded.left.reason : 'decoded';
    };
    expect(reasonOf(null)).to.equal('malformed');
    expect(reasonOf(Buffer.from([0xc3, 0x28]))).to.equal('malformed');
    expect(reasonOf(Buffer.from('{not json'))).to.equal('malformed');
    expect(reasonOf(Buffer.from(JSON.stringify({ ...aUserEvent(), eventId: 'x' })))).to.equal(
      'schema-violation',
    );
    expect(reasonOf(Buffer.from('[]'))).to.equal('schema-violation');
  });
});
