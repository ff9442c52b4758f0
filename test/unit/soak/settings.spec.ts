import { expect } from 'chai';
import { restartSchedule, soakSettingsFromArguments } from '../../../scripts/soak/settings';

describe('soak: the command line', () => {
  it('runs 60 minutes at half the calibrated rate by default', () => {
    const settings = soakSettingsFromArguments([]);
    expect(settings.minutes).to.equal(60);
    expect(settings.rate).to.equal(undefined);
  });

  it('takes --minutes and --rate, also as --flag=value', () => {
    expect(soakSettingsFromArguments(['--minutes', '3']).minutes).to.equal(3);
    expect(soakSettingsFromArguments(['--minutes=1.5']).minutes).to.equal(1.5);
    expect(soakSettingsFromArguments(['--rate', '200', '--minutes', '2'])).to.include({
      rate: 200,
      minutes: 2,
    });
  });

  it('refuses what it does not know, and anything but a positive number', () => {
    expect(() => soakSettingsFromArguments(['--quick'])).to.throw('unknown argument --quick');
    expect(() => soakSettingsFromArguments(['--minutes'])).to.throw('positive number');
    expect(() => soakSettingsFromArguments(['--minutes', '0'])).to.throw('positive number');
    expect(() => soakSettingsFromArguments(['--minutes', 'ten'])).to.throw('positive number');
    expect(() => soakSettingsFromArguments(['--rate='])).to.throw('positive number');
  });
});

describe('soak: the node restarts', () => {
  it('restarts a node every 10 minutes before the end, in turn', () => {
    expect(restartSchedule(60, 10, 3)).to.deep.equal([
      { atSeconds: 600, node: 1 },
      { atSeconds: 1200, node: 2 },
      { atSeconds: 1800, node: 3 },
      { atSeconds: 2400, node: 1 },
      { atSeconds: 3000, node: 2 },
    ]);
  });

  it('restarts once at half-way when the run is too short for the first', () => {
    expect(restartSchedule(3, 10, 3)).to.deep.equal([{ atSeconds: 90, node: 1 }]);
    expect(restartSchedule(10, 10, 3)).to.deep.equal([{ atSeconds: 300, node: 1 }]);
    expect(restartSchedule(10.5, 10, 3)).to.deep.equal([{ atSeconds: 600, node: 1 }]);
  });
});
