import { expect } from 'chai';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BatchedLines } from '../../../src/adapters/system/batched-lines';

const line = (n: number) => `{"line":${n}}\n`;

describe('BatchedLines', () => {
  let written: string[];
  const sink = { write: (chunk: string) => written.push(chunk) };

  beforeEach(() => {
    written = [];
  });

  it('writes the lines of one turn of the event loop in one call, in order, at its end', async () => {
    const lines = new BatchedLines(sink, 1024);
    for (let n = 1; n <= 3; n += 1) lines.write(line(n));
    expect(written).to.deep.equal([]);
    await nextTurn();
    expect(written).to.deep.equal([line(1) + line(2) + line(3)]);
    lines.write(line(4));
    await nextTurn();
    expect(written).to.deep.equal([line(1) + line(2) + line(3), line(4)]);
  });

  it('writes at once, synchronously, the line that brings the waiting lines to the bound', () => {
    const lines = new BatchedLines(sink, 2 * line(1).length);
    lines.write(line(1));
    expect(written).to.deep.equal([]);
    lines.write(line(2));
    expect(written).to.deep.equal([line(1) + line(2)]);
    lines.write(line(3));
    expect(written).to.have.length(1);
  });

  it('writes what waits when flushed, and nothing twice afterwards', async () => {
    const lines = new BatchedLines(sink, 1024);
    lines.write(line(1));
    lines.flush();
    expect(written).to.deep.equal([line(1)]);
    await nextTurn();
    lines.flush();
    expect(written).to.deep.equal([line(1)]);
  });
});
