import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/Either';
import {
  fromRecordValue,
  headerBytes,
  kafkaHeaders,
  recordBytes,
  toRecord,
} from '../../../src/adapters/kafka/user-event-record';
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

  it('counts the bytes of its key, value, header names and header values', () => {
    const record = {
      key: 'ü',
      value: Buffer.from([1, 2, 3]),
      headers: { é: 'ab', x: Buffer.from([9]) },
    };
    expect(recordBytes(record)).to.equal(2 + 3 + (2 + 2) + (1 + 1));
  });

  it('keeps delivered headers byte for byte, repeated names in order', () => {
    const notUtf8 = Buffer.from([0xff, 0x00, 0xc3]);
    const delivered = { blob: notUtf8, twice: [Buffer.from('a'), Buffer.from([0x80])] };
    const bytes = headerBytes(delivered);
    expect(bytes).to.deep.equal({
      blob: [notUtf8],
      twice: [Buffer.from('a'), Buffer.from([0x80])],
    });
    expect(kafkaHeaders(bytes)).to.deep.equal({
      blob: [notUtf8],
      twice: [Buffer.from('a'), Buffer.from([0x80])],
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

  it('reads a value that starts with a UTF-8 byte order mark', () => {
    const event = aUserEvent();
    const withMark = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify(event)),
    ]);
    const decoded = fromRecordValue(withMark);
    expect(isRight(decoded) && decoded.right).to.deep.equal(event);
  });

  it('classifies what can never become an event', () => {
    const reasonOf = (value: Buffer | null) => {
      const decoded = fromRecordValue(value);
      return isLeft(decoded) ? `${decoded.left.reason}: ${decoded.left.error}` : 'decoded';
    };
    expect(reasonOf(null)).to.equal('malformed: the record has no value');
    expect(reasonOf(Buffer.from([0xc3, 0x28]))).to.equal('malformed: the value is not UTF-8');
    expect(reasonOf(Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d])), 'an encoded surrogate').to.equal(
      'malformed: the value is not UTF-8',
    );
    expect(reasonOf(Buffer.from('{not json'))).to.equal('malformed: the value is not JSON');
    expect(reasonOf(Buffer.from(JSON.stringify({ ...aUserEvent(), eventId: 'x' })))).to.match(
      /^schema-violation: eventId /,
    );
    expect(reasonOf(Buffer.from('[]'))).to.match(/^schema-violation: /);
  });
});
