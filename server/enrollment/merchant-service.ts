/**
 * Merchant self-enrollment: a merchant offers their own camera (ONVIF, or plain RTSP), with
 * recorded consent. The server verifies it (ONVIF probe, or RTSP DESCRIBE with an H.264/H.265
 * video track) and files it through the cameras service as a pending camera owned by the
 * merchant, for an operator to approve. A failed verification tells the merchant only that it
 * failed (no port scanning through error texts); staff find the detail in the log and the audit.
 */
import type { AppContext } from '@server/context';
import { recordAudit } from '@server/audit/audit-repository';
import type { Actor, CamerasService } from '@server/cameras/index';
import type { Camera } from '@server/cameras/schemas';
import { unprocessable } from '@server/http/problem';
import { inRanges } from '@server/discovery/cidr';
import { classifyError, DeviceError } from '@server/discovery/errors';
import { scanSettings } from '@server/discovery/discovery-service';
import { probeDevice } from '@server/discovery/onvif-prober';
import { describeRtsp } from './rtsp-describe';
import type { MerchantEnrollmentInput, MerchantEnrollmentResult } from '@common/discovery';

export type { MerchantEnrollmentInput, MerchantEnrollmentResult } from '@common/discovery';

/** The one answer a merchant gets for any verification failure. */
export const GENERIC_FAILURE = 'The camera could not be verified with these details. Check the address and credentials, or ask the police station to enroll it.';

export function merchantEnrollmentService(ctx: AppContext, cameras: CamerasService) {
  async function verify(input: MerchantEnrollmentInput): Promise<MerchantEnrollmentResult['verification'] & { onvifUrl: string | null }> {
    const s = scanSettings(ctx);
    const url = new URL((input.onvifUrl ?? input.rtspUrl)!);
    if (input.onvifUrl) {
      const d = await probeDevice({ address: url.hostname, port: Number(url.port || 80), path: url.pathname }, input.credentials, {
        timeoutMs: s.soapTimeoutMs,
        maxBytes: s.maxResponseBytes,
        allowedRanges: s.allowedRanges,
      });
      if (d.error) throw new DeviceError(d.error, d.errorDetail ?? '');
      if (!d.rtspMainUrl) throw new DeviceError('not_onvif', 'the camera reported no RTSP stream');
      // Merchants cannot approve a stream on another host; the credentials belong to the device's host.
      if (d.mediaHostMismatch) throw new DeviceError('not_onvif', 'the camera reported a stream URI on another host');
      const codec = d.profiles[0]?.encoding ?? null;
      return { method: 'onvif', codec, rtspUrl: d.rtspMainUrl, rtspSubUrl: d.rtspSubUrl, onvifUrl: url.toString() };
    }
    const r = await describeRtsp(url.toString(), { timeoutMs: s.soapTimeoutMs, maxBytes: s.maxResponseBytes, ...(input.credentials ?? {}) });
    url.username = '';
    url.password = '';
    return { method: 'rtsp', codec: r.codec, rtspUrl: url.toString(), rtspSubUrl: null, onvifUrl: null };
  }

  return {
    async enroll(input: MerchantEnrollmentInput, actor: Actor): Promise<MerchantEnrollmentResult> {
      const field = input.onvifUrl ? 'onvifUrl' : 'rtspUrl';
      const host = new URL((input.onvifUrl ?? input.rtspUrl)!).hostname;
      if (!inRanges(host, scanSettings(ctx).allowedRanges)) {
        throw unprocessable('The camera address is outside the networks Sky Eye may reach.', [{ field, message: `host ${host} is not inside the allowed ranges` }]);
      }
      let v: Awaited<ReturnType<typeof verify>>;
      try {
        v = await verify(input);
      } catch (e) {
        const err = classifyError(e);
        ctx.logger.info({ merchantId: actor.user.id, field, host, code: err.code, detail: err.detail }, 'merchant enrollment verification failed');
        await ctx.database.db
          .transaction((tx) => recordAudit(tx, actor.audit, { action: 'enrollment.merchant.failed', targetType: 'user', targetId: actor.user.id, details: { field, host, code: err.code, detail: err.detail } }))
          .catch((x: unknown) => ctx.logger.error({ err: x }, 'could not audit a failed merchant enrollment'));
        throw unprocessable(GENERIC_FAILURE, [{ field, message: 'the camera could not be verified' }]);
      }
      const consentAt = ctx.clock.now();
      let created!: Camera;
      const org = await cameras.orgIndex();
      await ctx.database.db.transaction(async (tx) => {
        created = await cameras.createInTx(
          tx,
          actor,
          org,
          {
            name: input.name,
            kind: input.kind,
            location: { lat: input.location.lat, lon: input.location.lon, address: input.location.address ?? null },
            onvifUrl: v.onvifUrl,
            rtspUrl: v.rtspUrl,
            rtspSubUrl: v.rtspSubUrl,
            credentials: input.credentials ?? null,
            enrollmentState: 'pending',
            owner: { name: input.owner.name, phone: input.owner.phone ?? null },
          },
          { via: 'merchant-enrollment' },
        );
        await recordAudit(tx, actor.audit, {
          action: 'enrollment.merchant',
          targetType: 'camera',
          targetId: created.id,
          details: { method: v.method, codec: v.codec, consentAt: consentAt.toISOString() },
        });
      });
      ctx.bus.publish('camera:created', { id: created.id, ownerUserId: actor.user.id, camera: created });
      return { cameraId: created.id, enrollmentState: 'pending', consentAt: consentAt.toISOString(), verification: { method: v.method, codec: v.codec, rtspUrl: v.rtspUrl, rtspSubUrl: v.rtspSubUrl } };
    },
  };
}

export type MerchantEnrollmentService = ReturnType<typeof merchantEnrollmentService>;
