import { expect } from 'chai';
import { isRejectedRow } from '../../../src/adapters/postgres/rejected-row';

describe('a PostgreSQL error, as refused rows or as a passing failure', () => {
  const error = (code: string, constraint?: string) =>
    Object.assign(new Error(code), { code, constraint });

  it('is a refused row for data exceptions and constraint violations', () => {
    for (const code of ['22P02', '22001', '22021', '23502', '23503', '23514', '23P01']) {
      expect(isRejectedRow(error(code)), code).to.equal(true);
    }
    expect(isRejectedRow(error('23505', 'some_other_unique_index'))).to.equal(true);
  });

  it('is passing for the event id conflict, the connection, resources and the operator', () => {
    for (const code of ['08006', '08001', '40001', '40P01', '53300', '57P01', '57014', '42P01']) {
      expect(isRejectedRow(error(code)), code).to.equal(false);
    }
    expect(isRejectedRow(error('23505', 'processed_events_pkey'))).to.equal(false);
    expect(isRejectedRow(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).to.equal(false);
    expect(isRejectedRow(undefined)).to.equal(false);
  });
});
