/** Great-circle distances (haversine on the mean Earth radius) and radius bounding boxes. */
export const EARTH_RADIUS_M = 6_371_008.8;

const rad = (d: number) => (d * Math.PI) / 180;

export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface BBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/**
 * A lat/lon box that contains every point within `radiusM` of the centre (a cheap index
 * prefilter before the exact haversine test). Near the poles the longitude span opens fully.
 */
export function radiusBBox(lat: number, lon: number, radiusM: number): BBox {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const maxAbsLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
  if (maxAbsLat >= 89.9) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  const dLon = dLat / Math.cos(rad(maxAbsLat));
  if (dLon >= 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  // Boxes crossing the antimeridian are clamped (the registry is county-scale; see README gaps).
  return { minLat, maxLat, minLon: Math.max(-180, lon - dLon), maxLon: Math.min(180, lon + dLon) };
}
