import { expect } from 'chai';
import { EventLedger } from '../../../scripts/soak/event-ledger';
import { SoakIds } from '../../../scripts/soak/soak-ids';

describe('soak: the events sent, acknowledged and stored', () => {
  it('names each event by the run’s tag and its index, and reads both back', () => {
    const ids = new SoakIds('0badcafe');
    expect(ids.idOf(0)).to.equal('0badcafe-50a4-4000-8000-000000000000');
    expect(ids.idOf(70_000)).to.match(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(ids.indexOf(ids.idOf(70_000))).to.equal(70_000);
    expect(new SoakIds('00000001').indexOf(ids.idOf(1))).to.equal(undefined);
    expect(ids.range()).to.deep.equal({
      from: '0badcafe-50a4-4000-8000-000000000000',
      to: '0badcafe-50a4-4000-8000-ffffffffffff',
    });
  });

  it('finds the acknowledged events not stored, and those stored without a 201', () => {
    const ledger = new EventLedger();
    expect(ledger.reserve(3)).to.deep.equal([0, 1, 2]);
    expect(ledger.reserve(600_000)).to.have.length(600_000);
    for (const index of [0, 2, 599_999]) ledger.acknowledge(index);
    ledger.acknowledge(2);
    for (const index of [0, 1]) ledger.markStored(index);
    expect(ledger.acknowledgedCount).to.equal(3);
    expect(ledger.missing()).to.deep.equal([2, 599_999]);
    expect(ledger.storedUnacknowledged()).to.equal(1);
  });

  it('counts an acknowledged id it never sent', () => {
    const ledger = new EventLedger();
    ledger.reserve(1);
    ledger.acknowledge(undefined);
    ledger.acknowledge(5);
    expect(ledger.unknownAcknowledged).to.equal(2);
    expect(ledger.acknowledgedCount).to.equal(0);
  });
});
