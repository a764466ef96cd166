/**
 * GCJ-02 ("Mars coordinates", used by Chinese web maps) <-> WGS-84. The forward transform is the
 * published obfuscation formula; the inverse has no closed form, so it is solved iteratively
 * (fixed-point on the forward transform) to well under a millimetre. Outside China both are identity.
 * In common/ because both sides use it: the server converts gcj02 input before storing (server/cameras/rows.ts),
 * the console draws WGS-84 positions on GCJ-02 tiles (web/src/map/projection.ts). Imports nothing.
 */
export interface LatLon {
  lat: number;
  lon: number;
}

const A = 6378245.0; // Krasovsky 1940 semi-major axis used by the formula
const EE = 0.006693421622965943; // its first eccentricity squared

export function outOfChina(lat: number, lon: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

export function wgs84ToGcj02(lat: number, lon: number): LatLon {
  if (outOfChina(lat, lon)) return { lat, lon };
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: lat + dLat, lon: lon + dLon };
}

/** Iterative inverse: converges to ~1e-10 degrees (< 0.1 mm) in a handful of steps. */
export function gcj02ToWgs84(lat: number, lon: number, tolerance = 1e-10, maxIterations = 30): LatLon {
  if (outOfChina(lat, lon)) return { lat, lon };
  let wLat = lat;
  let wLon = lon;
  for (let i = 0; i < maxIterations; i++) {
    const g = wgs84ToGcj02(wLat, wLon);
    const dLat = g.lat - lat;
    const dLon = g.lon - lon;
    wLat -= dLat;
    wLon -= dLon;
    if (Math.abs(dLat) < tolerance && Math.abs(dLon) < tolerance) break;
  }
  return { lat: wLat, lon: wLon };
}
