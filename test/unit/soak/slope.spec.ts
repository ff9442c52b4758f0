import { expect } from 'chai';
import { fitFromSeconds, leastSquaresSlope, slopeMbPerHour } from '../../../scripts/soak/slope';

describe('soak: the memory slope', () => {
  it('is the least-squares slope of the points', () => {
    expect(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).to.equal(2);
    // y = 10 + x/2 with noise that cancels out: +1, −1, −1, +1
    expect(
      leastSquaresSlope([
        [0, 11],
        [2, 10],
        [4, 11],
        [6, 14],
      ]),
    ).to.be.closeTo(0.5, 1e-9);
  });

  it('is NaN for fewer than two distinct x values', () => {
    expect(leastSquaresSlope([])).to.be.NaN;
    expect(leastSquaresSlope([[5, 1]])).to.be.NaN;
    expect(
      leastSquaresSlope([
        [5, 1],
        [5, 2],
      ]),
    ).to.be.NaN;
  });

  it('fits after the first 5 minutes, or after the first 20% of a run under 25 minutes', () => {
    expect(fitFromSeconds(3600)).to.equal(300);
    expect(fitFromSeconds(1500)).to.equal(300);
    expect(fitFromSeconds(180)).to.equal(36);
  });

  it('leaves out the warm-up and gives MB per hour', () => {
    // A start-up jump of 100 MB in the first 5 minutes, then 1 MB a minute: 60 MB/h.
    const samples = Array.from({ length: 61 }, (_, minute) => ({
      atSeconds: minute * 60,
      mb: minute < 5 ? 100 + minute * 20 : 200 + minute,
    }));
    expect(slopeMbPerHour(samples, 3600)).to.be.closeTo(60, 1e-6);
  });
});
