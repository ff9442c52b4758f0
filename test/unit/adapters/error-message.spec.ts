import { expect } from 'chai';
import { asError, errorMessage } from '../../../src/adapters/shared/error-message';

describe('errorMessage', () => {
  it('is the message, or the code of a system error without one, and never a stack', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(errorMessage(refused)).to.equal('ECONNREFUSED');
    expect(errorMessage(new Error('relation "x" does not exist'))).to.equal(
      'relation "x" does not exist',
    );
    expect(errorMessage(new Error('y'.repeat(500)))).to.have.length(201);
  });

  it('says what was thrown when it was not an Error', () => {
    expect(errorMessage('broker gone')).to.equal('broker gone');
    expect(errorMessage(undefined)).to.equal('unknown error');
    expect(errorMessage({ code: 42 })).to.equal('unknown error');
  });
});

describe('asError', () => {
  it('keeps an Error as it is and wraps anything else with its description', () => {
    const error = new Error('kept');
    expect(asError(error)).to.equal(error);
    expect(asError('thrown text').message).to.equal('thrown text');
  });
});
