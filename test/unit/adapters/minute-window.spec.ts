import { expect } from 'chai';
import {
  clockMinutes,
  fromFirstCall,
  MinuteWindow,
} from '../../../src/adapters/http/minute-window';

const at = (time: string) => Date.parse(`2026-11-29T${time}Z`);

describe('MinuteWindow', () => {
  it("on the clock's minutes: one window from 12:00:00 to 12:01:00, whenever it is first used", () => {
    const window = new MinuteWindow(clockMinutes);
    expect(window.moveTo(at('12:00:15.000'))).to.equal(true);
    expect(window.remainingMs(at('12:00:15.000'))).to.equal(45_000);
    expect(window.moveTo(at('12:00:59.999'))).to.equal(false);
    expect(window.moveTo(at('12:01:00.000'))).to.equal(true);
    expect(window.remainingMs(at('12:01:00.000'))).to.equal(60_000);
  });

  it('from the first call: a minute from then on', () => {
    const window = new MinuteWindow(fromFirstCall);
    expect(window.moveTo(at('12:00:10.000'))).to.equal(true);
    expect(window.moveTo(at('12:01:09.999'))).to.equal(false);
    expect(window.remainingMs(at('12:01:09.999'))).to.equal(1);
    expect(window.moveTo(at('12:01:10.000'))).to.equal(true);
  });

  it('ends the window when the clock steps back before it began, and not a minute later', () => {
    const window = new MinuteWindow(clockMinutes);
    window.moveTo(at('12:00:30.000'));
    expect(window.moveTo(at('11:00:30.000'))).to.equal(true);
    expect(window.remainingMs(at('11:00:30.000'))).to.equal(30_000);
    expect(window.moveTo(at('11:00:45.000'))).to.equal(false);
  });
});
