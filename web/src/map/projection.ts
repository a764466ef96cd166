/**
 * Where a stored position sits on the base layer, and back. Positions in the API are WGS-84; Chinese
 * tile providers (AMap, Tencent) draw in GCJ-02, where a WGS-84 point sits 300-600 m off. With
 * map.tileCoords = gcj02 every position the map shows goes through toMap, and every position read
 * from the map (a click, a dragged pin, a drawn area) through fromMap. Without a tile URL (the demo
 * town) and with wgs84 tiles both are the identity; outside China the formula is the identity too.
 * The conversion itself is the server's (common/gcj02.ts).
 */
import type { CoordSystem } from '@common/domain';
import { gcj02ToWgs84, wgs84ToGcj02, type LatLon } from '@common/gcj02';
import type { MapSettings } from '@web/api/map';
import { rectBetween, type MapArea } from './mapModel';

export interface MapProjection {
  /** The coordinate system positions are drawn in. */
  coords: CoordSystem;
  /** WGS-84 (stored) -> the base layer's coordinates. */
  toMap(lat: number, lon: number): LatLon;
  /** The base layer's coordinates -> WGS-84 (to store or search with). */
  fromMap(lat: number, lon: number): LatLon;
}

export const IDENTITY: MapProjection = {
  coords: 'wgs84',
  toMap: (lat, lon) => ({ lat, lon }),
  fromMap: (lat, lon) => ({ lat, lon }),
};

export const GCJ02: MapProjection = { coords: 'gcj02', toMap: wgs84ToGcj02, fromMap: (lat, lon) => gcj02ToWgs84(lat, lon) };

/** The projection for these settings: GCJ-02 only for gcj02 tiles; none (identity) on the plain background. */
export function projectionFor(settings: Pick<MapSettings, 'tileUrl' | 'tileCoords'> | null): MapProjection {
  return settings?.tileUrl && settings.tileCoords === 'gcj02' ? GCJ02 : IDENTITY;
}

/** Leaflet's [lat, lng] of a stored (WGS-84) position on this base layer. */
export function mapLatLng(p: MapProjection, at: { lat: number; lon: number }): [number, number] {
  const m = p.toMap(at.lat, at.lon);
  return [m.lat, m.lon];
}

type Convert = (lat: number, lon: number) => LatLon;

/** A rectangle's four corners converted, and the rectangle holding them (GCJ-02 is not a pure shift). */
function rectThrough(a: Extract<MapArea, { shape: 'rect' }>, f: Convert): MapArea {
  const corners = [f(a.south, a.west), f(a.south, a.east), f(a.north, a.west), f(a.north, a.east)];
  const lats = corners.map((c) => c.lat);
  const lons = corners.map((c) => c.lon);
  return rectBetween({ lat: Math.min(...lats), lon: Math.min(...lons) }, { lat: Math.max(...lats), lon: Math.max(...lons) });
}

function areaThrough(a: MapArea, f: Convert): MapArea {
  if (a.shape === 'rect') return rectThrough(a, f);
  // The radius stays: the shift varies by well under a millimetre per metre of radius.
  return { shape: 'circle', ...f(a.lat, a.lon), radius: a.radius };
}

/** An area drawn on the map, in WGS-84 for the registry search and the incident. */
export const areaFromMap = (a: MapArea, p: MapProjection): MapArea => (p.coords === 'wgs84' ? a : areaThrough(a, p.fromMap));

/** A (WGS-84) area in the base layer's coordinates, to draw. */
export const areaToMap = (a: MapArea, p: MapProjection): MapArea => (p.coords === 'wgs84' ? a : areaThrough(a, p.toMap));
