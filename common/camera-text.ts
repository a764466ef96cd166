/** A camera's basic fields as strings, as a form or a CSV row shows them (coordinates in WGS-84). */
export interface CameraTextSource {
  name: string;
  kind: string;
  location: { lat: number; lon: number; address?: string | null };
  rtspUrl?: string | null;
  rtspSubUrl?: string | null;
  onvifUrl?: string | null;
}

export function cameraText<K extends string = string>(c: CameraTextSource & { kind: K }) {
  return {
    name: c.name,
    kind: c.kind,
    lat: String(c.location.lat),
    lon: String(c.location.lon),
    address: c.location.address ?? '',
    coordSystem: 'wgs84' as const,
    rtspUrl: c.rtspUrl ?? '',
    rtspSubUrl: c.rtspSubUrl ?? '',
    onvifUrl: c.onvifUrl ?? '',
  };
}
