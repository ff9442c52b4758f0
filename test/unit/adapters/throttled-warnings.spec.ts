import { expect } from 'chai';
import * as sinon from 'sinon';
import { ThrottledWarnings } from '../../../src/adapters/http/throttled-warnings';
import { capturedLogger } from '../../support/captured-logs';

const MESSAGE = 'access refused';

describe('ThrottledWarnings', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-11-29T12:00:10.000Z') });
  });
  afterEach(() => clock.restore());

  const warnings = (perMinute: number) => {
    const logs = capturedLogger();
    const throttled = new ThrottledWarnings(logs.logger, MESSAGE, perMinute, () => Date.now());
    return { throttled, lines: logs.lines };
  };

  it('logs each warning while under the limit, with its fields', () => {
    const { throttled, lines } = warnings(3);
    throttled.warn({ clientAddress: '10.0.0.1' });
    throttled.warn({ clientAddress: '10.0.0.2' });
    expect(
      lines().map(({ level, msg, clientAddress }) => [level, msg, clientAddress]),
    ).to.deep.equal([
      [40, MESSAGE, '10.0.0.1'],
      [40, MESSAGE, '10.0.0.2'],
    ]);
    clock.tick(120_000);
    expect(lines(), 'nothing withheld, so no summary').to.have.length(2);
  });

  it('withholds what passes the limit and says how many at the end of the minute', () => {
    const { throttled, lines } = warnings(3);
    for (let n = 0; n < 1000; n += 1) throttled.warn({ n });
    expect(lines().map((line) => line.n)).to.deep.equal([0, 1, 2]);
    clock.tick(59_999);
    expect(lines()).to.have.length(3);
    clock.tick(1);
    expect(lines()[3]).to.include({
      level: 40,
      msg: `${MESSAGE}: 997 more in the last minute, not logged`,
      notLogged: 997,
    });
  });

  it('starts a new minute with the next warning, summing up the last one first', () => {
    const { throttled, lines } = warnings(1);
    throttled.warn({ n: 1 });
    throttled.warn({ n: 2 });
    clock.tick(60_000);
    throttled.warn({ n: 3 });
    throttled.warn({ n: 4 });
    throttled.warn({ n: 5 });
    clock.tick(60_000);
    expect(lines().map((line) => line.n ?? line.notLogged)).to.deep.equal([1, 1, 3, 2]);
  });

  it('starts a new minute when the clock stepped back before the current one began', () => {
    const { throttled, lines } = warnings(1);
    throttled.warn({ n: 1 });
    throttled.warn({ n: 2 });
    clock.setSystemTime(Date.now() - 3_600_000);
    throttled.warn({ n: 3 });
    throttled.warn({ n: 4 });
    expect(
      lines().map((line) => line.n ?? line.notLogged),
      'summed up, then logged',
    ).to.deep.equal([1, 1, 3]);
    clock.tick(60_000);
    expect(lines().map((line) => line.n ?? line.notLogged)).to.deep.equal([1, 1, 3, 1]);
  });
});
