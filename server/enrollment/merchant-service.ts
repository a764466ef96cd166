/**
 * Merchant self-enrollment: a merchant offers their own camera (ONVIF, or plain RTSP), with
 * recorded consent. The server verifies it (ONVIF probe, or RTSP DESCRIBE with an H.264/H.265
 * video track) and files it as a pending camera owned by the merchant, for an operator to approve.
 */
import type { AppContext } from '@server/context';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { unprocessable } from '@server/http/problem';
import type { CameraPort } from '@server/discovery/camera-port';
import { inRanges } from '@server/discovery/cidr';
import { classifyError } from '@server/discovery/errors';
import { scanSettings } from '@server/discovery/discovery-service';
import { probeDevice } from '@server/discovery/onvif-prober';
import { describeRtsp } from './rtsp-describe';
import type { MerchantEnrollmentInput, MerchantEnrollmentResult } from '@common/discovery';

export type { MerchantEnrollmentInput, MerchantEnrollmentResult } from '@common/discovery';

export function merchantEnrollmentService(ctx: AppContext, cameras: CameraPort) {
  async function verify(input: MerchantEnrollmentInput): Promise<MerchantEnrollmentResult['verification'] & { onvifUrl: string | null }> {
    const s = scanSettings(ctx);
    const field = input.onvifUrl ? 'onvifUrl' : 'rtspUrl';
    const url = new URL((input.onvifUrl ?? input.rtspUrl)!);
    if (!inRanges(url.hostname, s.allowedRanges)) {
      throw unprocessable('The camera address is outside the networks Sky Eye may reach.', [{ field, message: `host ${url.hostname} is not inside the allowed ranges` }], { error: 'unreachable' });
    }
    const fail = (e: unknown) => {
      const err = classifyError(e);
      return unprocessable(`The camera could not be verified: ${err.code}.`, [{ field, message: `${err.code}: ${err.detail}` }], { error: err.code });
    };
    if (input.onvifUrl) {
      const d = await probeDevice({ address: url.hostname, port: Number(url.port || 80), path: url.pathname }, input.credentials, {
        timeoutMs: s.soapTimeoutMs,
        maxBytes: s.maxResponseBytes,
        allowedRanges: s.allowedRanges,
      });
      if (d.error) throw unprocessable(`The camera could not be verified: ${d.error}.`, [{ field, message: `${d.error}: ${d.errorDetail ?? ""}` }], { error: d.error });
      if (!d.rtspMainUrl) throw fail(new Error('the camera reported no RTSP stream'));
      const codec = d.profiles[0]?.encoding ?? null;
      return { method: 'onvif', codec, rtspUrl: d.rtspMainUrl, rtspSubUrl: d.rtspSubUrl, onvifUrl: url.toString() };
    }
    try {
      const r = await describeRtsp(url.toString(), { timeoutMs: s.soapTimeoutMs, maxBytes: s.maxResponseBytes, ...(input.credentials ?? {}) });
      url.username = '';
      url.password = '';
      return { method: 'rtsp', codec: r.codec, rtspUrl: url.toString(), rtspSubUrl: null, onvifUrl: null };
    } catch (e) {
      throw fail(e);
    }
  }

  return {
    async enroll(input: MerchantEnrollmentInput, merchantId: string, actor: AuditActor): Promise<MerchantEnrollmentResult> {
      const v = await verify(input);
      const consentAt = ctx.clock.now();
      let created!: { id: string; ownerUserId: string | null; view?: unknown };
      await ctx.database.db.transaction(async (tx) => {
        created = await cameras.create(
          tx,
          {
            name: input.name,
            kind: input.kind,
            lat: input.location.lat,
            lon: input.location.lon,
            address: input.location.address ?? null,
            onvifUrl: v.onvifUrl,
            rtspUrl: v.rtspUrl,
            rtspSubUrl: v.rtspSubUrl,
            username: input.credentials?.username ?? null,
            password: input.credentials?.password ?? null,
            enrollmentState: 'pending',
            ownerUserId: merchantId,
            ownerName: input.owner.name,
            ownerPhone: input.owner.phone ?? null,
            consentAt,
          },
          actor,
        );
        await recordAudit(tx, actor, {
          action: 'enrollment.merchant',
          targetType: 'camera',
          targetId: created.id,
          details: { method: v.method, codec: v.codec, consentAt: consentAt.toISOString() },
        });
      });
      ctx.bus.publish('camera:created', { id: created.id, ownerUserId: merchantId, ...(created.view ? { camera: created.view } : {}) });
      return { cameraId: created.id, enrollmentState: 'pending', consentAt: consentAt.toISOString(), verification: { method: v.method, codec: v.codec, rtspUrl: v.rtspUrl, rtspSubUrl: v.rtspSubUrl } };
    },
  };
}

export type MerchantEnrollmentService = ReturnType<typeof merchantEnrollmentService>;
