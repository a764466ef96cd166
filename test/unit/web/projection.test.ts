/** The map's projection (web/src/map/projection.ts): WGS-84 positions on GCJ-02 tiles and back, and drawn areas back to WGS-84. */
import { expect } from 'chai';
import { areaQuery, metresBetween, rectBetween, type MapArea } from '@web/map/mapModel';
import { areaFromMap, areaToMap, GCJ02, IDENTITY, mapLatLng, projectionFor } from '@web/map/projection';

const TILES = 'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8';
const BEIJING = { lat: 39.915, lon: 116.404 };
const LIANYUNGANG = { lat: 34.09, lon: 119.35 }; // the demo town

describe('map projection', () => {
  it('converts only for GCJ-02 tiles: none on the plain background or on WGS-84 tiles', () => {
    expect(projectionFor(null)).to.equal(IDENTITY);
    expect(projectionFor({ tileUrl: null, tileCoords: 'gcj02' }), 'no tiles: the demo town is drawn as stored').to.equal(IDENTITY);
    expect(projectionFor({ tileUrl: TILES, tileCoords: 'wgs84' })).to.equal(IDENTITY);
    expect(projectionFor({ tileUrl: TILES, tileCoords: 'gcj02' })).to.equal(GCJ02);
    expect(IDENTITY.toMap(BEIJING.lat, BEIJING.lon)).to.deep.equal(BEIJING);
    expect(IDENTITY.fromMap(BEIJING.lat, BEIJING.lon)).to.deep.equal(BEIJING);
  });

  it('puts a WGS-84 point a few hundred metres east on GCJ-02 tiles (Beijing reference: north-east; the demo town: east, a little south)', () => {
    const g = GCJ02.toMap(BEIJING.lat, BEIJING.lon);
    // coordtransform's wgs84togcj02(116.404, 39.915)
    expect(g.lat).to.be.closeTo(39.91640428150164, 1e-9);
    expect(g.lon).to.be.closeTo(116.41024449916938, 1e-9);
    expect(mapLatLng(GCJ02, BEIJING)).to.deep.equal([g.lat, g.lon]);
    expect(metresBetween(BEIJING, g)).to.be.within(500, 600); // ~156 m north, ~533 m east
    const l = GCJ02.toMap(LIANYUNGANG.lat, LIANYUNGANG.lon);
    expect(l.lat - LIANYUNGANG.lat, 'south').to.be.within(-0.0013, -0.001); // ~131 m
    expect(l.lon - LIANYUNGANG.lon, 'east').to.be.within(0.005, 0.006); // ~517 m
    expect(metresBetween(LIANYUNGANG, l)).to.be.within(500, 550);
  });

  it('round-trips within 1e-6 degrees both ways', () => {
    for (const p of [BEIJING, LIANYUNGANG, { lat: 31.2304, lon: 121.4737 }, { lat: 22.5431, lon: 114.0579 }, { lat: 43.8256, lon: 87.6168 }]) {
      const m = GCJ02.toMap(p.lat, p.lon);
      const back = GCJ02.fromMap(m.lat, m.lon);
      expect(back.lat).to.be.closeTo(p.lat, 1e-6);
      expect(back.lon).to.be.closeTo(p.lon, 1e-6);
      const w = GCJ02.fromMap(p.lat, p.lon);
      const again = GCJ02.toMap(w.lat, w.lon);
      expect(again.lat).to.be.closeTo(p.lat, 1e-6);
      expect(again.lon).to.be.closeTo(p.lon, 1e-6);
    }
  });

  it('is the identity outside China even on GCJ-02 tiles', () => {
    expect(GCJ02.toMap(48.8566, 2.3522)).to.deep.equal({ lat: 48.8566, lon: 2.3522 });
    expect(GCJ02.fromMap(48.8566, 2.3522)).to.deep.equal({ lat: 48.8566, lon: 2.3522 });
    expect(GCJ02.toMap(1, 103.8)).to.not.deep.equal({ lat: 1, lon: 103.8 }); // the formula's box is crude, as the server's
  });
});

describe('map selection on GCJ-02 tiles', () => {
  // The WGS-84 box the operator means, and where it shows on GCJ-02 tiles: what they drag out.
  const wgs = { shape: 'rect', south: 34.08, west: 119.34, north: 34.1, east: 119.36 } as const;
  const sw = GCJ02.toMap(wgs.south, wgs.west);
  const ne = GCJ02.toMap(wgs.north, wgs.east);
  const drawn = rectBetween(ne, sw);

  it('turns a rectangle drawn in GCJ-02 coordinates into the WGS-84 bbox the registry searches', () => {
    expect(drawn.shape === 'rect' && drawn.west - wgs.west, 'the drawn box is ~500 m east of the bbox').to.be.greaterThan(0.005);
    const back = areaFromMap(drawn, GCJ02);
    if (back.shape !== 'rect') throw new Error('a rectangle stays a rectangle');
    // The bbox holding the drawn box's four corners in WGS-84: the shift varies by a few metres
    // across 2 km (GCJ-02 is not a pure translation), so it is the meant box to within metres.
    for (const k of ['south', 'west', 'north', 'east'] as const) expect(back[k], k).to.be.closeTo(wgs[k], 5e-5);
    if (drawn.shape !== 'rect') throw new Error('rect');
    for (const [lat, lon] of [[drawn.south, drawn.west], [drawn.south, drawn.east], [drawn.north, drawn.west], [drawn.north, drawn.east]] as const) {
      const w = GCJ02.fromMap(lat, lon);
      expect(w.lat >= back.south - 1e-7 && w.lat <= back.north + 1e-7 && w.lon >= back.west - 1e-7 && w.lon <= back.east + 1e-7, `corner ${lat},${lon} inside`).to.equal(true);
    }
    const bbox = (areaQuery(back) as { bbox: string }).bbox.split(',').map(Number);
    bbox.forEach((v, i) => expect(v).to.be.closeTo([119.34, 34.08, 119.36, 34.1][i]!, 5e-5));
  });

  it('turns a drawn circle\'s centre back to WGS-84, keeps its radius, and draws a stored area where it was dragged', () => {
    const c = GCJ02.toMap(LIANYUNGANG.lat, LIANYUNGANG.lon);
    const back = areaFromMap({ shape: 'circle', lat: c.lat, lon: c.lon, radius: 250 }, GCJ02) as Extract<MapArea, { shape: 'circle' }>;
    expect(back.lat).to.be.closeTo(LIANYUNGANG.lat, 1e-6);
    expect(back.lon).to.be.closeTo(LIANYUNGANG.lon, 1e-6);
    expect(back.radius).to.equal(250);
    // Redrawn as the rectangle holding the four shifted corners: the shift varies by a few metres
    // across a 2 km box (GCJ-02 is not a pure translation), so the drawn box grows by about that.
    const redrawn = areaToMap(areaFromMap(drawn, GCJ02), GCJ02);
    if (redrawn.shape !== 'rect' || drawn.shape !== 'rect') throw new Error('rect');
    for (const k of ['south', 'west', 'north', 'east'] as const) expect(redrawn[k], k).to.be.closeTo(drawn[k], 1e-4);
    expect(redrawn.south <= drawn.south && redrawn.west <= drawn.west && redrawn.north >= drawn.north && redrawn.east >= drawn.east, 'holds what was drawn').to.equal(true);
  });

  it('leaves areas alone without GCJ-02 tiles', () => {
    expect(areaFromMap(wgs, IDENTITY)).to.equal(wgs);
    expect(areaToMap(wgs, IDENTITY)).to.equal(wgs);
  });
});
