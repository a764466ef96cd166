/** Camera-registry test data: inputs and geometry. Clients and the test world are in test/helpers/api. */
export { fileMerchantCamera, startWorld, client, login, type Client, type RoleName, type World } from '@test/helpers/api';

export const DEMO = { lat: 34.09, lon: 119.35 };

let n = 0;
export function cameraInput(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    name: `Camera ${n}`,
    kind: 'road',
    location: { lat: DEMO.lat, lon: DEMO.lon, address: `No. ${n} Main Road` },
    rtspUrl: `rtsp://127.0.0.1:8554/cam${n}`,
    ...extra,
  };
}

/** Moves a point by metres north and east (small offsets, spherical Earth). */
export function offset(lat: number, lon: number, north: number, east: number): { lat: number; lon: number } {
  const R = 6_371_008.8;
  return { lat: lat + (north / R) * (180 / Math.PI), lon: lon + (east / (R * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI) };
}
