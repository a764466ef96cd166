/**
 * The offline base layer: the demo county seat's main roads, commercial square, shopping street and
 * the two villages (sim/demo-town.ts places the simulated fleet along them), in WGS-84. Drawn on a
 * plain background when no tile server is configured (map.tileUrl), so the map works offline.
 */
export interface TownFeature {
  /** i18n key under map.town. */
  label: string;
  kind: 'road' | 'area' | 'village';
  /** [lat, lon] points: a line for roads, a ring for areas and villages. */
  points: Array<[number, number]>;
}

export const DEMO_TOWN_CENTER: [number, number] = [34.09, 119.35];

const ring = (lat: number, lon: number, dLat: number, dLon: number): Array<[number, number]> => [
  [lat - dLat, lon - dLon],
  [lat - dLat, lon + dLon],
  [lat + dLat, lon + dLon],
  [lat + dLat, lon - dLon],
];

export const DEMO_TOWN: TownFeature[] = [
  { label: 'renminRoad', kind: 'road', points: [[34.0912, 119.340], [34.0913, 119.3562], [34.0914, 119.366]] },
  { label: 'xinanAvenue', kind: 'road', points: [[34.080, 119.3489], [34.0912, 119.3489], [34.0951, 119.3490], [34.104, 119.3491]] },
  { label: 'changjiangRoad', kind: 'road', points: [[34.0950, 119.340], [34.0951, 119.3490], [34.0950, 119.3575], [34.0949, 119.366]] },
  { label: 'beijingRoad', kind: 'road', points: [[34.082, 119.3562], [34.0913, 119.3562], [34.0950, 119.3575]] },
  { label: 'square', kind: 'area', points: ring(34.0885, 119.3517, 0.0009, 0.0016) },
  { label: 'shoppingStreet', kind: 'area', points: ring(34.0878, 119.3455, 0.0014, 0.0004) },
  { label: 'liuzhuang', kind: 'village', points: ring(34.118, 119.327, 0.0045, 0.0048) },
  { label: 'zhangwan', kind: 'village', points: ring(34.063, 119.388, 0.0045, 0.0048) },
];
