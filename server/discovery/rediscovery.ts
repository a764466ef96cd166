/**
 * Re-discovery rules (pure): which registry camera a found device claims to be, and what differs.
 * Nothing a device says changes a camera: differences become proposals for an operator, and a
 * device claiming a camera's identity from another address than the approved one is an
 * identity clash (a moved camera, or an impostor replaying its endpoint or serial).
 */
import type { cameras } from '@server/db/schema/index';
import type { Changes, DeviceRow, KnownCamera } from './discovery-repository';
import type { FoundDevice } from './scanner';

type CameraRow = typeof cameras.$inferSelect;

export const hostOf = (url: string | null | undefined): string | null => {
  try {
    return url ? new URL(url).hostname : null;
  } catch {
    return null;
  }
};

/** The camera a device is: by endpoint reference, else manufacturer + serial, else its ONVIF URL. */
export function matchKnown(d: FoundDevice, sightings: ReadonlyArray<{ d: DeviceRow; c: CameraRow }>, byOnvifUrl: readonly CameraRow[]): KnownCamera | undefined {
  const hit =
    sightings.find((s) => s.d.endpointReference === d.endpointReference) ??
    (d.serial ? sightings.find((s) => s.d.serial === d.serial && (!d.manufacturer || s.d.manufacturer === d.manufacturer)) : undefined);
  if (hit) return { id: hit.c.id, onvifUrl: hit.c.onvifUrl, rtspUrl: hit.c.rtspUrl, rtspSubUrl: hit.c.rtspSubUrl, last: hit.d };
  const c = d.onvifUrl ? byOnvifUrl.find((x) => x.onvifUrl === d.onvifUrl) : undefined;
  return c ? { id: c.id, onvifUrl: c.onvifUrl, rtspUrl: c.rtspUrl, rtspSubUrl: c.rtspSubUrl, last: null } : undefined;
}

/** What the device reports differently from the registry camera, and whether it is an identity clash. */
export function compare(d: FoundDevice, k: KnownCamera): { changes: Changes; clash: boolean } {
  const changes: Changes = {};
  const approved = hostOf(k.onvifUrl) ?? hostOf(k.rtspUrl);
  const clash = approved !== null && approved !== d.address;
  if (clash) changes.address = { from: approved, to: d.address };
  if (d.onvifUrl && d.onvifUrl !== k.onvifUrl) changes.onvifUrl = { from: k.onvifUrl, to: d.onvifUrl };
  if (d.rtspMainUrl && d.rtspMainUrl !== k.rtspUrl) changes.rtspUrl = { from: k.rtspUrl, to: d.rtspMainUrl };
  if (d.rtspSubUrl && d.rtspSubUrl !== k.rtspSubUrl) changes.rtspSubUrl = { from: k.rtspSubUrl, to: d.rtspSubUrl };
  if (d.firmware && k.last?.firmware && d.firmware !== k.last.firmware) changes.firmware = { from: k.last.firmware, to: d.firmware };
  return { changes, clash };
}

/** The registry fields an applied proposal sets (address and firmware are information only). */
export function proposalPatch(changes: Changes): { onvifUrl?: string; rtspUrl?: string; rtspSubUrl?: string } {
  const patch: { onvifUrl?: string; rtspUrl?: string; rtspSubUrl?: string } = {};
  for (const k of ['onvifUrl', 'rtspUrl', 'rtspSubUrl'] as const) {
    const to = changes[k]?.to;
    if (to) patch[k] = to;
  }
  return patch;
}

/** Stable key of a proposal, so re-scans do not pile up identical open proposals. */
export const proposalKey = (cameraId: string, address: string, changes: Changes) =>
  `${cameraId}|${address}|${JSON.stringify(Object.keys(changes).sort().map((k) => [k, changes[k]!.from, changes[k]!.to]))}`;
