import { expect } from 'chai';
import { CryptoIdGenerator } from '../../../src/adapters/system/crypto-id-generator';

describe('CryptoIdGenerator', () => {
  const ids = new CryptoIdGenerator();

  it('makes random version-4 UUIDs', () => {
    const id = ids.newEventId();
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.newEventId()).to.not.equal(id);
  });

  it('makes the same version-5 UUID for the same name, on any instance', () => {
    const id = ids.eventIdFor('["user123","key",0]');
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new CryptoIdGenerator().eventIdFor('["user123","key",0]')).to.equal(id);
    expect(ids.eventIdFor('["user123","key",1]')).to.not.equal(id);
  });
});
