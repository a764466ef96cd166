import { expect } from 'chai';
import { initialList, listReducer, matchesFilters, type ListState } from '@web/registry/listState';
import { camera } from './fixtures';

const loaded = (items = [camera({ id: 'a' }), camera({ id: 'b', kind: 'household' })], nextCursor: string | null = null): ListState =>
  listReducer(initialList, { type: 'loaded', page: { items, nextCursor }, append: false });

describe('web/registry: list state', () => {
  it('replaces on a first page and appends later pages without duplicates', () => {
    let s = loaded([camera({ id: 'a' })], 'next');
    expect(s.loaded).to.equal(true);
    s = listReducer(s, { type: 'loaded', page: { items: [camera({ id: 'a' }), camera({ id: 'b' })], nextCursor: null }, append: true });
    expect(s.items.map((c) => c.id)).to.deep.equal(['a', 'b']);
    expect(s.nextCursor).to.equal(null);
  });

  it('matches structured filters and defers free text to the server', () => {
    const c = camera({ kind: 'road', tags: ['gate'] });
    expect(matchesFilters(c, {})).to.equal(true);
    expect(matchesFilters(c, { kind: 'household' })).to.equal(false);
    expect(matchesFilters(c, { zoneId: 'z1', tag: 'gate', enrollment: 'approved' })).to.equal(true);
    expect(matchesFilters(c, { tag: 'night' })).to.equal(false);
    expect(matchesFilters(c, { q: 'gate' })).to.equal('unknown');
    expect(matchesFilters(c, { q: 'gate', kind: 'shopfront' })).to.equal(false);
  });

  it('prepends a created camera that matches and ignores one that does not', () => {
    const s = loaded();
    const next = listReducer(s, { type: 'event', event: { type: 'created', camera: camera({ id: 'n' }) }, filters: {} });
    expect(next.items.map((c) => c.id)).to.deep.equal(['n', 'a', 'b']);
    const filtered = listReducer(s, { type: 'event', event: { type: 'created', camera: camera({ id: 'n', kind: 'road' }) }, filters: { kind: 'household' } });
    expect(filtered).to.equal(s);
    const searched = listReducer(s, { type: 'event', event: { type: 'created', camera: camera({ id: 'n' }) }, filters: { q: 'x' } });
    expect(searched.stale).to.equal(true);
    expect(searched.items).to.have.length(2);
  });

  it('replaces an updated camera, never with an older version, and drops it when it stops matching', () => {
    const s = loaded([camera({ id: 'a', version: 3 })]);
    const newer = listReducer(s, { type: 'event', event: { type: 'updated', camera: camera({ id: 'a', version: 4, name: 'x' }) }, filters: {} });
    expect(newer.items[0]!.name).to.equal('x');
    const older = listReducer(s, { type: 'event', event: { type: 'updated', camera: camera({ id: 'a', version: 2, name: 'old' }) }, filters: {} });
    expect(older).to.equal(s);
    const gone = listReducer(s, { type: 'event', event: { type: 'updated', camera: camera({ id: 'a', version: 4, enrollmentState: 'suspended' }) }, filters: { enrollment: 'approved' } });
    expect(gone.items).to.deep.equal([]);
  });

  it('removes deleted cameras and patches status in place, ignoring stale status events', () => {
    const s = loaded();
    expect(listReducer(s, { type: 'event', event: { type: 'deleted', id: 'a' }, filters: {} }).items.map((c) => c.id)).to.deep.equal(['b']);
    expect(listReducer(s, { type: 'event', event: { type: 'deleted', id: 'zz' }, filters: {} })).to.equal(s);
    const at = '2025-01-02T00:00:00.000Z';
    const patched = listReducer(s, { type: 'event', event: { type: 'status', cameraId: 'b', status: 'auth_failed', cause: '401 from camera', at }, filters: {} });
    expect(patched.items[1]).to.include({ status: 'auth_failed', statusCause: '401 from camera', statusChangedAt: at });
    const stale = listReducer(patched, { type: 'event', event: { type: 'status', cameraId: 'b', status: 'live', cause: null, at: '2025-01-01T12:00:00.000Z' }, filters: {} });
    expect(stale.items[1]!.status).to.equal('auth_failed');
  });

  it('marks the list stale on resync and clears it on the next first page', () => {
    const s = listReducer(loaded(), { type: 'event', event: { type: 'resync' }, filters: {} });
    expect(s.stale).to.equal(true);
    expect(listReducer(s, { type: 'loaded', page: { items: [], nextCursor: null }, append: false }).stale).to.equal(false);
  });

  it('upserts a saved camera and removes a deleted one', () => {
    const s = loaded();
    expect(listReducer(s, { type: 'upsert', camera: camera({ id: 'new' }), filters: {} }).items[0]!.id).to.equal('new');
    expect(listReducer(s, { type: 'remove', id: 'a' }).items.map((c) => c.id)).to.deep.equal(['b']);
  });
});
