import { expect } from 'chai';
import { gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from '@common/gcj02';
import { haversineMeters, radiusBBox } from '@server/geo/distance';

describe('geo: GCJ-02 <-> WGS-84', () => {
  it('forward transform matches the published reference (coordtransform, Beijing)', () => {
    const g = wgs84ToGcj02(39.915, 116.404);
    expect(g.lon).to.be.closeTo(116.41024449916938, 1e-9);
    expect(g.lat).to.be.closeTo(39.91640428150164, 1e-9);
  });

  it('inverse is exact to well under a millimetre (forward(inverse(p)) = p)', () => {
    for (const [lat, lon] of [
      [39.915, 116.404],
      [34.09, 119.35],
      [31.2304, 121.4737],
      [22.5431, 114.0579],
    ] as const) {
      const w = gcj02ToWgs84(lat, lon);
      const back = wgs84ToGcj02(w.lat, w.lon);
      expect(back.lat).to.be.closeTo(lat, 1e-9);
      expect(back.lon).to.be.closeTo(lon, 1e-9);
    }
  });

  it('inverse agrees with the one-step approximation within a metre (reference point)', () => {
    const w = gcj02ToWgs84(39.915, 116.404);
    // coordtransform's single-step gcj02towgs84(116.404, 39.915)
    expect(haversineMeters(w.lat, w.lon, 39.91359571849836, 116.39775550083061)).to.be.lessThan(1);
  });

  it('offset near the demo town is a few hundred metres', () => {
    const w = gcj02ToWgs84(34.09, 119.35);
    const d = haversineMeters(34.09, 119.35, w.lat, w.lon);
    expect(d).to.be.within(100, 1000);
  });

  it('is the identity outside China', () => {
    expect(outOfChina(48.8566, 2.3522)).to.equal(true);
    expect(gcj02ToWgs84(48.8566, 2.3522)).to.deep.equal({ lat: 48.8566, lon: 2.3522 });
    expect(wgs84ToGcj02(48.8566, 2.3522)).to.deep.equal({ lat: 48.8566, lon: 2.3522 });
  });
});

describe('geo: haversine and radius boxes', () => {
  it('one degree of latitude is ~111.2 km', () => {
    expect(haversineMeters(34, 119, 35, 119)).to.be.closeTo(111_195, 5);
  });
  it('known city pair: Beijing -> Shanghai ~1068 km', () => {
    expect(haversineMeters(39.9042, 116.4074, 31.2304, 121.4737) / 1000).to.be.closeTo(1067.3, 2);
  });
  it('zero for the same point; symmetric', () => {
    expect(haversineMeters(34.09, 119.35, 34.09, 119.35)).to.equal(0);
    expect(haversineMeters(34.09, 119.35, 34.1, 119.4)).to.be.closeTo(haversineMeters(34.1, 119.4, 34.09, 119.35), 1e-9);
  });
  it('the radius box contains every point at distance R in any direction', () => {
    const b = radiusBBox(34.09, 119.35, 1000);
    for (let deg = 0; deg < 360; deg += 15) {
      const t = (deg * Math.PI) / 180;
      // step ~999 m along bearing t
      const dLat = ((999 * Math.cos(t)) / 6_371_008.8) * (180 / Math.PI);
      const dLon = dLat === 0 && Math.sin(t) === 0 ? 0 : ((999 * Math.sin(t)) / (6_371_008.8 * Math.cos((34.09 * Math.PI) / 180))) * (180 / Math.PI);
      const lat = 34.09 + dLat;
      const lon = 119.35 + dLon;
      expect(haversineMeters(34.09, 119.35, lat, lon)).to.be.lessThan(1000);
      expect(lat).to.be.within(b.minLat, b.maxLat);
      expect(lon).to.be.within(b.minLon, b.maxLon);
    }
  });
  it('opens the longitude span near the poles', () => {
    expect(radiusBBox(89.99, 0, 5000)).to.include({ minLon: -180, maxLon: 180 });
  });
});
