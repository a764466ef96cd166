/** Live wall: layout math and storage, the tile recovery machine, token/progress timing, camera index. */
import { expect } from 'chai';
import { CAMERA_STATUSES } from '@common/domain';
import en from '@web/i18n/en.json';
import zh from '@web/i18n/zh-CN.json';
import { applyEvent, toWallCamera, type CameraIndex } from '@web/wall/cameraIndex';
import { columnsOf, LAYOUTS, MAX_SLOTS, MODES } from '@web/wall/layout';
import { assignSlot, DEFAULT_WALL, parseWall, serialiseWall, visibleSlots } from '@web/wall/wallState';
import { backoffMs, initialTile, isPlayable, tileReducer, type TileEvent, type TileState } from '@web/wall/recovery';
import { checkProgress, refreshDelayMs, startProgress, tokenOf, WATCH_LIMITS, withToken } from '@web/wall/timing';
import { camera } from './fixtures';

const run = (events: TileEvent[], from: TileState = initialTile) => events.reduce(tileReducer, from);

describe('web/wall: layout', () => {
  it('maps layouts to square grids (1+5 on 3x3, 1+7 on 4x4)', () => {
    expect(LAYOUTS.map(columnsOf)).to.deep.equal([1, 2, 3, 4, 5, 3, 4]);
  });

  it('shows the first n slots and keeps the rest when shrinking', () => {
    let w = assignSlot(DEFAULT_WALL, 5, 'cam-5');
    w = assignSlot({ ...w, layout: 9 }, 0, 'cam-0');
    expect(visibleSlots(w)).to.have.length(9);
    expect(visibleSlots({ ...w, layout: 4 })).to.deep.equal(['cam-0', null, null, null]);
    expect(visibleSlots({ ...w, layout: 16 })[5]).to.equal('cam-5');
  });

  it('moves a camera that is already on the wall instead of showing it twice', () => {
    const w = assignSlot(assignSlot(DEFAULT_WALL, 0, 'a'), 3, 'a');
    expect(w.slots.slice(0, 4)).to.deep.equal([null, null, null, 'a']);
    expect(assignSlot(w, 3, null).slots.every((s) => s === null)).to.equal(true);
    expect(assignSlot(w, 99, 'b')).to.equal(w);
  });

  it('round-trips through storage and repairs junk', () => {
    const w = { ...assignSlot(DEFAULT_WALL, 2, 'abc-1'), layout: 9 as const, mode: 'hls' as const };
    expect(parseWall(serialiseWall(w))).to.deep.equal(w);
    expect(parseWall(null)).to.deep.equal(DEFAULT_WALL);
    expect(parseWall('{not json')).to.deep.equal(DEFAULT_WALL);
    expect(parseWall('[1,2]')).to.deep.include({ layout: 4, mode: 'flv' });
    const odd = parseWall(JSON.stringify({ layout: 5, mode: 'rtsp', slots: ['a', 'a', 7, '<script>', ...Array(40).fill('z')] }));
    expect(odd.layout).to.equal(4);
    expect(odd.mode).to.equal('flv');
    expect(odd.slots).to.have.length(MAX_SLOTS);
    expect(odd.slots.slice(0, 5)).to.deep.equal(['a', null, null, null, 'z']);
    expect(odd.slots.filter((s) => s === 'z')).to.have.length(1);
  });
});

describe('web/wall: tile recovery', () => {
  it('connects at once to a live camera and waits for a down one', () => {
    const s = run([{ type: 'assign', cameraId: 'c1', status: 'live' }]);
    expect(s).to.deep.include({ phase: 'connecting', generation: 1, attempt: 0 });
    expect(run([{ type: 'assign', cameraId: 'c1', status: 'offline' }]).phase).to.equal('waiting');
    expect(run([{ type: 'assign', cameraId: 'c1', status: 'starting' }]).phase).to.equal('waiting');
    expect(isPlayable('unknown')).to.equal(true);
    expect(run([{ type: 'assign', cameraId: null, status: 'live' }], s).phase).to.equal('empty');
  });

  it('plays on progress, backs off on failure, retries with a new generation', () => {
    let s = run([{ type: 'assign', cameraId: 'c1', status: 'live' }, { type: 'progress', generation: 1 }]);
    expect(s.phase).to.equal('playing');
    s = run([{ type: 'failed', generation: 1, reason: 'stalled' }], s);
    expect(s).to.deep.include({ phase: 'retrying', attempt: 1, retryInMs: 1_000, lastError: 'stalled' });
    s = run([{ type: 'retry' }], s);
    expect(s).to.deep.include({ phase: 'connecting', generation: 2, attempt: 1 });
    s = run([{ type: 'failed', generation: 2, reason: 'no_start' }], s);
    expect(s).to.deep.include({ attempt: 2, retryInMs: 2_000 });
    s = run([{ type: 'retry' }, { type: 'progress', generation: 3 }], s);
    expect(s).to.deep.include({ phase: 'playing', attempt: 0, lastError: null });
  });

  it('ignores events from a torn-down player', () => {
    const s = run([{ type: 'assign', cameraId: 'c1', status: 'live' }, { type: 'restart' }]);
    expect(s.generation).to.equal(2);
    expect(run([{ type: 'failed', generation: 1, reason: 'old' }], s)).to.equal(s);
    expect(run([{ type: 'progress', generation: 1 }], s)).to.equal(s);
    expect(run([{ type: 'retry' }], s)).to.equal(s);
  });

  it('tears down when the camera goes down and reconnects at once when it is live again', () => {
    let s = run([{ type: 'assign', cameraId: 'c1', status: 'live' }, { type: 'progress', generation: 1 }]);
    s = run([{ type: 'status', status: 'offline' }], s);
    expect(s.phase).to.equal('waiting');
    s = run([{ type: 'status', status: 'starting' }], s);
    expect(s.phase).to.equal('waiting');
    s = run([{ type: 'status', status: 'live' }], s);
    expect(s).to.deep.include({ phase: 'connecting', generation: 2, attempt: 0 });
  });

  it('restarts a backing-off tile when the camera comes back live, skipping the wait', () => {
    let s = run([{ type: 'assign', cameraId: 'c1', status: 'live' }]);
    for (let g = 1; g <= 4; g++) s = run([{ type: 'failed', generation: s.generation, reason: 'x' }, ...(g < 4 ? [{ type: 'retry' } as const] : [])], s);
    expect(s).to.deep.include({ phase: 'retrying', attempt: 4, retryInMs: 8_000 });
    s = run([{ type: 'status', status: 'reconnecting' }, { type: 'status', status: 'live' }], s);
    expect(s).to.deep.include({ phase: 'connecting', attempt: 0 });
  });

  it('keeps the player through stalled/reconnecting (its own watchdog decides)', () => {
    const playing = run([{ type: 'assign', cameraId: 'c1', status: 'live' }, { type: 'progress', generation: 1 }]);
    const s = run([{ type: 'status', status: 'stalled' }], playing);
    expect(s).to.deep.include({ phase: 'playing', generation: 1, status: 'stalled' });
    expect(run([{ type: 'status', status: 'stalled' }], s)).to.equal(s);
    // Back to live while the video still plays (a brief stall of the ingest's output): no restart.
    expect(run([{ type: 'status', status: 'live' }], s)).to.deep.include({ phase: 'playing', generation: 1, status: 'live' });
    // ...but a tile still connecting when the camera comes back starts afresh.
    const connecting = run([{ type: 'assign', cameraId: 'c1', status: 'live' }, { type: 'status', status: 'reconnecting' }]);
    expect(run([{ type: 'status', status: 'live' }], connecting)).to.deep.include({ phase: 'connecting', generation: 2 });
  });

  it('a retry for a camera that went down in the meantime waits instead', () => {
    let s = run([{ type: 'assign', cameraId: 'c1', status: 'live' }, { type: 'failed', generation: 1, reason: 'x' }]);
    s = { ...s, status: 'offline' };
    expect(run([{ type: 'retry' }], s).phase).to.equal('waiting');
  });

  it('steps the backoff up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffMs)).to.deep.equal([1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000]);
    expect(backoffMs(0)).to.equal(1_000);
  });
});

describe('web/wall: timing', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('refreshes tokens ahead of expiry', () => {
    expect(refreshDelayMs(at(60_000), now)).to.equal(45_000);
    expect(refreshDelayMs(at(9_000), now)).to.equal(6_000);
    expect(refreshDelayMs(at(1_000), now)).to.equal(2_000);
    expect(refreshDelayMs(at(-5_000), now)).to.equal(2_000);
    expect(refreshDelayMs(undefined, now)).to.equal(30_000);
    expect(refreshDelayMs('garbage', now)).to.equal(30_000);
  });

  it('reads and swaps the token of a URL', () => {
    const seg = '/api/v1/live/c1/seg-00001.ts?token=v1.old.sig';
    expect(tokenOf(seg)).to.equal('v1.old.sig');
    expect(tokenOf('/api/v1/live/c1/index.m3u8')).to.equal(null);
    expect(withToken(seg, 'v1.new.sig')).to.equal('/api/v1/live/c1/seg-00001.ts?token=v1.new.sig');
    expect(withToken('http://h/a.ts?x=1&token=t#f', 'n')).to.equal('http://h/a.ts?x=1&token=n#f');
    expect(withToken('/other.ts?x=1', 'n')).to.equal('/other.ts?x=1');
    expect(withToken(seg, null)).to.equal(seg);
  });

  it('judges progress: startup grace, progress, stall', () => {
    const limits = WATCH_LIMITS.flv;
    let p = startProgress(0);
    let r = checkProgress(p, 0, 5_000, limits);
    expect(r.verdict).to.equal('waiting');
    expect(checkProgress(p, 0, limits.startupMs + 1, limits).verdict).to.equal('no_start');
    r = checkProgress(p, 0.5, 2_000, limits);
    expect(r.verdict).to.equal('progress');
    p = r.progress;
    expect(checkProgress(p, 0.5, 2_000 + limits.stallMs - 1, limits).verdict).to.equal('ok');
    expect(checkProgress(p, 0.5, 2_000 + limits.stallMs + 1, limits).verdict).to.equal('stalled');
    expect(checkProgress(p, 0.1, 3_000, limits).verdict).to.equal('ok');
    expect(checkProgress(p, 0, 3_000, limits).verdict, 'a small step back is not movement').to.equal('ok');
    expect(checkProgress({ ...p, lastTime: 5 }, 2, 3_000, limits).verdict).to.equal('progress');
  });
});

describe('web/wall: camera index', () => {
  const c = camera({ id: 'c1', status: 'offline' });
  const index: CameraIndex = new Map([['c1', toWallCamera(c)]]);

  it('applies status, update and delete events for cameras on the wall only', () => {
    const live = applyEvent(index, { type: 'status', cameraId: 'c1', status: 'live', cause: null, at: 't' });
    expect(live.get('c1')).to.deep.include({ status: 'live' });
    expect(applyEvent(live, { type: 'status', cameraId: 'c1', status: 'live', cause: null, at: 't2' })).to.equal(live);
    expect(applyEvent(index, { type: 'status', cameraId: 'other', status: 'live', cause: null, at: 't' })).to.equal(index);
    expect(applyEvent(index, { type: 'updated', camera: { ...c, name: '新名' } }).get('c1')).to.deep.include({ name: '新名' });
    expect(applyEvent(index, { type: 'updated', camera: { ...c, id: 'zz' } })).to.equal(index);
    expect(applyEvent(index, { type: 'deleted', id: 'c1' }).get('c1')).to.equal('missing');
    expect(applyEvent(index, { type: 'resync' })).to.equal(index);
  });
});

describe('web/wall: translations', () => {
  type Tree = { [k: string]: string | Tree };
  const get = (tree: Tree, key: string) => key.split('.').reduce<string | Tree | undefined>((t, k) => (typeof t === 'object' ? t[k] : undefined), tree);

  it('has the keys the wall builds at run time, in both languages', () => {
    const keys = [...MODES.flatMap((m) => [`wall.modeName.${m}`, `wall.modeHint.${m}`]), ...CAMERA_STATUSES.map((s) => `status.${s}`), 'wall.title', 'wall.waiting'];
    for (const k of keys) {
      expect(get(zh as Tree, k), `zh ${k}`).to.be.a('string');
      expect(get(en as Tree, k), `en ${k}`).to.be.a('string');
    }
    expect(get(zh as Tree, 'wall.title')).to.equal('实时监控');
  });
});
