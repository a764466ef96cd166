/** The map's pure parts: filters, live events, clustering, wall links, the admin tab and section rules, the tile origin for the CSP. */
import { expect } from 'chai';
import { adminTabOf } from '@web/admin/AdminPage';
import { localToIso } from '@web/admin/AuditPage';
import { formatBytes } from '@web/admin/HealthPage';
import { DEMO_TOWN } from '@web/map/demoTown';
import type { Incident } from '@common/incidents';
import { applyEvent, areaAsCircle, areaQuery, clusterPoints, DEFAULT_FILTER, filterCameras, incidentTakesCameras, isDown, metresBetween, rectBetween, wallPathFor, wallPathForMany } from '@web/map/mapModel';
import { sectionsFor } from '@web/layout/routes';
import { wallFromQuery } from '@web/wall/wallState';
import { tileOrigin } from '@server/geo/map-routes';
import { camera } from './fixtures';
import { expectKey } from './i18n-keys';

describe('map model', () => {
  const cams = [
    camera({ id: 'a', kind: 'road', status: 'live' }),
    camera({ id: 'b', kind: 'household', status: 'offline' }),
    camera({ id: 'c', kind: 'shopfront', status: 'live', enrollmentState: 'pending' }),
  ];

  it('filters by kind, status and enrollment (approved by default)', () => {
    expect(filterCameras(cams, DEFAULT_FILTER).map((c) => c.id)).to.deep.equal(['a', 'b']);
    expect(filterCameras(cams, { kind: '', status: '', enrollment: '' }).map((c) => c.id)).to.deep.equal(['a', 'b', 'c']);
    expect(filterCameras(cams, { kind: 'household', status: '', enrollment: '' }).map((c) => c.id)).to.deep.equal(['b']);
    expect(filterCameras(cams, { kind: '', status: 'live', enrollment: 'approved' }).map((c) => c.id)).to.deep.equal(['a']);
  });

  it('applies status, create, update and delete events; a resync asks for a reload', () => {
    const s = applyEvent(cams, { type: 'status', cameraId: 'a', status: 'auth_failed', cause: 'auth', at: '2026-01-01T00:00:00Z' })!;
    expect(s.find((c) => c.id === 'a')).to.include({ status: 'auth_failed', statusCause: 'auth', statusChangedAt: '2026-01-01T00:00:00Z' });
    expect(s.find((c) => c.id === 'b')!.status).to.equal('offline');
    expect(applyEvent(cams, { type: 'created', camera: camera({ id: 'd' }) })!.map((c) => c.id)).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(applyEvent(cams, { type: 'updated', camera: camera({ id: 'a', name: 'new' }) })!.find((c) => c.id === 'a')!.name).to.equal('new');
    expect(applyEvent(cams, { type: 'deleted', id: 'b' })!.map((c) => c.id)).to.deep.equal(['a', 'c']);
    expect(applyEvent(cams, { type: 'resync' })).to.equal(null);
  });

  it('clusters points sharing a screen cell, keeps lone points single, centres clusters on their mean', () => {
    const pts = [
      { item: 1, x: 1, y: 1 },
      { item: 2, x: 9, y: 5 },
      { item: 3, x: 100, y: 100 },
      { item: 4, x: 5, y: 3 },
    ];
    const out = clusterPoints(pts, 20);
    expect(out.map((c) => c.items)).to.deep.equal([[1, 2, 4], [3]]);
    expect(out[0]).to.include({ x: 5, y: 3 });
    expect(clusterPoints([], 20)).to.deep.equal([]);
  });

  it('marks the statuses that need attention', () => {
    expect(isDown('offline') && isDown('auth_failed') && isDown('stalled')).to.equal(true);
    expect(isDown('live') || isDown('starting') || isDown('disabled')).to.equal(false);
  });

  it('links a camera to a one-tile wall the wall itself can open', () => {
    const url = new URL(wallPathFor('abc-123'), 'http://x');
    expect(url.pathname).to.equal('/wall');
    const wall = wallFromQuery(url.search, { layout: 9, mode: 'hls', slots: [] })!; // ll: the low-latency (FLV) mode
    expect(wall).to.include({ layout: 1, mode: 'flv' });
    expect(wall.slots[0]).to.equal('abc-123');
  });

  it('opens a selection on the smallest wall holding it, at most 25 cameras', () => {
    const q = (ids: string[]) => new URL(wallPathForMany(ids), 'http://x').searchParams;
    expect(q(['a', 'b']).get('layout')).to.equal('4');
    expect(q(['a', 'b']).get('cameras')).to.equal('a,b');
    const many = Array.from({ length: 30 }, (_, i) => `c${i}`);
    expect(q(many).get('layout')).to.equal('25');
    expect(q(many).get('cameras')!.split(',')).to.have.length(25);
  });

  it('turns a drawn rectangle into a bbox query and an incident circle; a circle stays a radius query', () => {
    const rect = rectBetween({ lat: 34.1, lon: 119.36 }, { lat: 34.08, lon: 119.34 });
    expect(rect).to.deep.equal({ shape: 'rect', south: 34.08, west: 119.34, north: 34.1, east: 119.36 });
    expect(areaQuery(rect)).to.deep.equal({ bbox: '119.34,34.08,119.36,34.1' });
    expect(areaQuery({ shape: 'circle', lat: 34.09, lon: 119.35, radius: 200 })).to.deep.equal({ lat: 34.09, lon: 119.35, radius: 200 });
    const c = areaAsCircle(rect);
    expect(c.lat).to.be.closeTo(34.09, 1e-9);
    expect(c.lon).to.be.closeTo(119.35, 1e-9);
    // Half the diagonal of a ~2.2 km x ~1.8 km box.
    expect(c.radius).to.equal(Math.ceil(metresBetween({ lat: 34.09, lon: 119.35 }, { lat: 34.1, lon: 119.36 })));
    expect(c.radius).to.be.within(1400, 1450);
    expect(metresBetween({ lat: 34, lon: 119 }, { lat: 35, lon: 119 })).to.be.closeTo(111_195, 1);
  });

  it('offers a selection only to open incidents the user may change', () => {
    const inc = (status: Incident['status'], createdBy: string) => ({ status, createdBy: { id: createdBy, username: 'u', displayName: 'U' } }) as Incident;
    const op = { id: 'op', role: 'operator' as const };
    expect(incidentTakesCameras(inc('open', 'op'), op)).to.equal(true);
    expect(incidentTakesCameras(inc('under_investigation', 'op'), op)).to.equal(true);
    expect(incidentTakesCameras(inc('open', 'someone'), op), 'operators change only their own').to.equal(false);
    expect(incidentTakesCameras(inc('closed', 'op'), op)).to.equal(false);
    expect(incidentTakesCameras(inc('open', 'someone'), { id: 'i', role: 'investigator' })).to.equal(true);
    expect(incidentTakesCameras(inc('open', 'someone'), { id: 'm', role: 'merchant' })).to.equal(false);
    for (const k of ['map.selectRect', 'map.selectedRect', 'map.incident.send', 'map.incident.done', 'admin.audit.exportCsv']) expectKey(k);
  });

  it('labels every demo-town feature in both languages', () => {
    for (const f of DEMO_TOWN) expectKey(`map.town.${f.label}`);
  });
});

describe('admin pages and sections', () => {
  it('shows administration to administrators only, the map to everyone', () => {
    expect(sectionsFor('admin')).to.include('admin');
    for (const r of ['operator', 'investigator', 'merchant'] as const) {
      expect(sectionsFor(r)).to.not.include('admin');
      expect(sectionsFor(r)).to.include('map');
    }
  });
  it('reads the tab from the path', () => {
    expect(adminTabOf('/admin')).to.equal('users');
    expect(adminTabOf('/admin/audit')).to.equal('audit');
    expect(adminTabOf('/admin/health/')).to.equal('health');
    expect(adminTabOf('/admin/nope')).to.equal('users');
  });
  it('turns a local time into ISO and sizes into words', () => {
    expect(localToIso('')).to.equal(undefined);
    expect(localToIso('2026-03-01T10:00')).to.equal(new Date('2026-03-01T10:00').toISOString());
    expect(formatBytes(5 * 1024 ** 3)).to.equal('5.0 GB');
    expect(formatBytes(1536 * 1024)).to.equal('1.5 MB');
  });
});

describe('map tile origin (CSP img-src)', () => {
  it('is null without a tile URL and the origin of one', () => {
    expect(tileOrigin({ tileUrl: undefined, tileAttribution: '', tileCoords: 'wgs84' })).to.equal(null);
    expect(tileOrigin({ tileUrl: 'https://tiles.county.example:8443/{z}/{x}/{y}.png', tileAttribution: '', tileCoords: 'wgs84' })).to.equal('https://tiles.county.example:8443');
  });
});
