/**
 * Discovery error codes -> i18n keys (a plain-language title and what to do next), and the
 * per-device outcome of an enroll request from its result or its problem+json. Pure.
 */
import { DISCOVERY_ERRORS, type DiscoveryError } from '@common/discovery';
import { isApiError } from '@web/api/problem';
import type { EnrollResult } from '@web/api/discovery';

export interface MessageKeys {
  title: string;
  hint: string;
}

export const isDiscoveryError = (v: unknown): v is DiscoveryError => typeof v === 'string' && (DISCOVERY_ERRORS as readonly string[]).includes(v);

/** discovery.error.<code>.{title,hint}; anything unknown -> discovery.error.unknown. */
export function deviceErrorKeys(code: string | null | undefined): MessageKeys | null {
  if (!code) return null;
  const c = isDiscoveryError(code) ? code : 'unknown';
  return { title: `discovery.error.${c}.title`, hint: `discovery.error.${c}.hint` };
}

/** The code at the start of a server message such as "auth_failed: the device refused the credentials". */
export function codeInMessage(message: string): DiscoveryError | null {
  const m = /(?:^|:\s*)([a-z_]+):/.exec(message);
  if (m && isDiscoveryError(m[1])) return m[1];
  const any = DISCOVERY_ERRORS.find((c) => new RegExp(`\\b${c}\\b`).test(message));
  return any ?? null;
}

export type EnrollOutcome =
  | { deviceId: string; ok: true; cameraId: string }
  /**
   * code: a discovery error (the device failed verification), 'exists' (already a registry
   * camera), 'notFound', 'skipped' (another device failed; nothing was enrolled), 'request'
   * (the whole request failed: see message).
   */
  | { deviceId: string; ok: false; code: DiscoveryError | 'exists' | 'notFound' | 'skipped' | 'request'; message: string };

const UUID_PREFIX = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):\s*(.*)$/is;

/** Per-device outcomes of POST .../enroll for `ids`, from its result or the error it threw. */
export function enrollOutcomes(ids: string[], outcome: { result: EnrollResult } | { error: unknown }): EnrollOutcome[] {
  if ('result' in outcome) {
    const byId = new Map(outcome.result.enrolled.map((e) => [e.deviceId, e.cameraId]));
    return ids.map((id) =>
      byId.has(id) ? { deviceId: id, ok: true, cameraId: byId.get(id)! } : { deviceId: id, ok: false, code: 'skipped', message: '' },
    );
  }
  const e = outcome.error;
  if (!isApiError(e)) return ids.map((id) => ({ deviceId: id, ok: false, code: 'request', message: e instanceof Error ? e.message : String(e) }));
  const failed = new Map<string, EnrollOutcome>();
  if (e.status === 422) {
    for (const fe of e.fieldErrors) {
      const m = UUID_PREFIX.exec(fe.message);
      const index = /^deviceIds\.(\d+)$/.exec(fe.field);
      const id = m?.[1] ?? (index ? ids[Number(index[1])] : undefined);
      if (!id) continue;
      const message = m?.[2] ?? fe.message;
      failed.set(id, { deviceId: id, ok: false, code: codeInMessage(message) ?? 'not_onvif', message });
    }
  } else if (e.status === 409) {
    const devices = Array.isArray(e.problem.devices) ? (e.problem.devices as Array<{ deviceId?: unknown }>) : [];
    for (const d of devices) {
      if (typeof d.deviceId === 'string') failed.set(d.deviceId, { deviceId: d.deviceId, ok: false, code: 'exists', message: e.detail ?? e.title });
    }
  } else if (e.status === 404) {
    for (const id of ids) if (e.detail?.includes(id)) failed.set(id, { deviceId: id, ok: false, code: 'notFound', message: e.detail });
  }
  if (failed.size === 0) {
    const message = [e.title, e.detail, ...e.fieldErrors.map((f) => `${f.field}: ${f.message}`)].filter(Boolean).join(' — ');
    return ids.map((id) => ({ deviceId: id, ok: false, code: 'request', message }));
  }
  return ids.map((id) => failed.get(id) ?? { deviceId: id, ok: false, code: 'skipped', message: '' });
}

/** i18n key for a failed outcome's heading. */
export function outcomeKey(o: EnrollOutcome): string {
  if (o.ok) return 'discovery.enroll.ok';
  switch (o.code) {
    case 'exists':
    case 'notFound':
    case 'skipped':
    case 'request':
      return `discovery.enroll.${o.code}`;
    default:
      return `discovery.error.${o.code}.title`;
  }
}
