import { expect } from 'chai';
import { maxConcurrentPlays, type PlayRecord } from '@sim/rtsp/server';

const play = (start: number, end: number | null, path = '/main'): PlayRecord => ({ path, client: 'x', start, end });

describe('sim RTSP play record', () => {
  it('counts PLAY sessions running at the same time (an end at t does not overlap a start at t)', () => {
    expect(maxConcurrentPlays([])).to.equal(0);
    expect(maxConcurrentPlays([play(0, 10), play(10, 20), play(20, null)])).to.equal(1);
    expect(maxConcurrentPlays([play(0, 10), play(9, 20)])).to.equal(2);
    expect(maxConcurrentPlays([play(0, null), play(50, 60)])).to.equal(2);
    expect(maxConcurrentPlays([play(0, 100), play(50, 60, '/sub')], '/main')).to.equal(1);
  });
});
