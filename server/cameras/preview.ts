/**
 * A still from a camera for staff deciding on it (the approval dialog shows one every few seconds):
 * one JPEG grabbed by ffmpeg through an RTSP auth proxy started for the request (credentials never
 * on a command line or in a URL), whatever the camera's enrollment state. At most
 * PREVIEW_CONCURRENCY grabs run at once in a process (taken and released synchronously, so the
 * limit holds under parallel requests); each grab is audited.
 */
import { recordAudit } from '@server/audit/audit-repository';
import type { AppContext } from '@server/context';
import { HttpError, unprocessable } from '@server/http/problem';
import { grabFrame, snapshotArgs } from '@workers/ffmpeg/snapshot';
import { resolveFfmpegPath } from '@workers/ffmpeg/version';
import { startRtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import { assertStaff, type Actor } from './service';
import type { CamerasService } from './status';

export const PREVIEW_CONCURRENCY = 4;
const LIMITS = { timeoutMs: 10_000, maxBytes: 2_000_000 };

export function cameraPreview(ctx: AppContext, cameras: CamerasService) {
  let running = 0;
  let ffmpeg: string | null = null;
  return {
    async frame(actor: Actor, id: string): Promise<Buffer> {
      assertStaff(actor.user, 'preview cameras');
      const spec = await cameras.previewSpec(id);
      const rtspUrl = spec.rtspUrl;
      if (!rtspUrl) throw unprocessable('This camera pushes its stream (RTMP) and has no address to fetch a picture from; approve it and watch it live.');
      if (running >= PREVIEW_CONCURRENCY) throw new HttpError(429, 'Too many requests', `At most ${PREVIEW_CONCURRENCY} camera previews run at once; try again in a few seconds.`);
      running++;
      const proxy = await startRtspAuthProxy({ host: '127.0.0.1', port: 0 }).catch((e: unknown) => {
        running--;
        throw e;
      });
      try {
        const route = proxy.register({ cameraUrl: rtspUrl, credentials: spec.credentials ?? undefined, allowBasic: spec.allowBasicAuth });
        ffmpeg ??= resolveFfmpegPath();
        const jpeg = await grabFrame(ffmpeg, snapshotArgs(route.localUrl, spec.transport), LIMITS).catch((e: Error) => {
          ctx.logger.info({ cameraId: id, err: e.message }, 'camera preview: no picture');
          throw new HttpError(502, 'Bad gateway', `The camera gave no picture within ${LIMITS.timeoutMs / 1000} s. Check its address and credentials, then try again.`);
        });
        await ctx.database.db.transaction((tx) => recordAudit(tx, actor.audit, { action: 'camera.preview', targetType: 'camera', targetId: id, }));
        return jpeg;
      } finally {
        running--;
        await proxy.close();
      }
    },
  };
}
