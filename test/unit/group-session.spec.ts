import { expect } from 'chai';
import { groupSession } from '../../src/adapters/kafkajs/group-session';

describe('consumer group session timings', () => {
  it("keep kafkajs' defaults for its default session", () => {
    expect(groupSession(30000)).to.deep.equal({
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 5000,
    });
  });

  it('let an idle member beat several times per session at the shortest one', () => {
    const { heartbeatInterval, maxWaitTimeInMs } = groupSession(6000);
    expect(heartbeatInterval).to.equal(600);
    expect(maxWaitTimeInMs).to.equal(2000);
  });
});
