import { expect } from 'chai';
import { logBurst } from '@server/ops/log-burst';

describe('log bursts', () => {
  it('logs the first lines one by one and the rest as one line counted by key', () => {
    const lines: Array<[object, string]> = [];
    const b = logBurst((o, m) => lines.push([o, m]), 'gap opened', 2);
    for (const [i, k] of ['a', 'b', 'a', 'b', 'b'].entries()) b.add({ i }, k);
    b.flush();
    expect(lines).to.deep.equal([
      [{ i: 0 }, 'gap opened'],
      [{ i: 1 }, 'gap opened'],
      [{ more: 3, byKey: { a: 1, b: 2 } }, 'gap opened: 3 more'],
    ]);
  });

  it('writes no summary when every line was logged', () => {
    const lines: string[] = [];
    const b = logBurst((_o, m) => lines.push(m), 'x', 2);
    b.add({}, 'k');
    b.flush();
    expect(lines).to.deep.equal(['x']);
  });
});
