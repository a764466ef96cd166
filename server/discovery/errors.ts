/** Why probing a device failed, in words the console can show (pure classification). */
import { MalformedXmlError } from './safe-xml';

export const DEVICE_ERRORS = ['unreachable', 'auth_failed', 'not_onvif', 'timeout', 'malformed_response'] as const;
export type DeviceErrorCode = (typeof DEVICE_ERRORS)[number];

/** An error with a classified code; `detail` is safe to show (no secrets). */
export class DeviceError extends Error {
  override name = 'DeviceError';
  constructor(
    readonly code: DeviceErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

const NET_UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL', 'ENOTFOUND']);

/** Map anything a SOAP/RTSP exchange threw to one of the device error codes. */
export function classifyError(err: unknown): DeviceError {
  if (err instanceof DeviceError) return err;
  if (err instanceof MalformedXmlError) return new DeviceError('malformed_response', err.message);
  const e = err as { code?: string; message?: string; name?: string } | undefined;
  const msg = String(e?.message ?? err ?? 'unknown error');
  const code = e?.code ?? '';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || e?.name === 'TimeoutError' || /timed? ?out|Network timeout/i.test(msg)) {
    return new DeviceError('timeout', 'the device did not answer in time');
  }
  if (NET_UNREACHABLE.has(code)) return new DeviceError('unreachable', `connection failed (${code})`);
  if (/NotAuthorized|not authori[sz]ed|authentication failed|Unauthorized|\b401\b/i.test(msg)) {
    return new DeviceError('auth_failed', 'the device refused the credentials');
  }
  if (code === 'ERESPONSETOOLARGE' || /larger than|too large|too deep/i.test(msg)) {
    return new DeviceError('malformed_response', 'the reply was larger than allowed');
  }
  if (/Wrong ONVIF SOAP response|Unexpected close tag|Unclosed|Non-whitespace|Invalid|not well-formed|parse|XML/i.test(msg)) {
    return new DeviceError('malformed_response', 'the reply was not a well-formed SOAP message');
  }
  if (/ActionNotSupported|not supported|404|405|Not Found/i.test(msg)) {
    return new DeviceError('not_onvif', 'the address does not speak ONVIF');
  }
  if (/SSL|TLS|certificate|EPROTO|routines/i.test(`${code} ${msg}`)) return new DeviceError('unreachable', 'the TLS handshake failed');
  // Never echo the raw text: it may come from the device or from OpenSSL.
  return new DeviceError('not_onvif', 'unexpected reply');
}
