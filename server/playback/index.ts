/**
 * Recorded playback module: the service over the recording index, a segment reader and the
 * token's session/footage check (forgetting a session's answers when it ends), and its routes.
 */
import type { AppContext } from '@server/context';
import { SessionRepository } from '@server/auth/session-repository';
import { resolvePlaybackSecret } from '@server/live/secret';
import { segmentIndex } from '@server/ledger/segment-index';
import { createIngestStore } from '@workers/store/paths';
import { vodAccess } from './access';
import { archiveReader } from './reader';
import { PlaybackService } from './service';
import './openapi';

export { playbackRoutes, playbackMediaRoutes } from './routes';
export { PlaybackService } from './service';

export function buildPlaybackService(ctx: Pick<AppContext, 'database' | 'clock' | 'config' | 'store' | 'bus'>): PlaybackService {
  const access = vodAccess(new SessionRepository(ctx.database), () => ctx.clock.now());
  // Sign-out, disable, role change, password reset in this process: no cached "may watch" survives it.
  ctx.bus.subscribe('auth:session-ended', (who) => access.forget(who));
  return new PlaybackService({
    database: ctx.database,
    index: segmentIndex(ctx.database),
    reader: archiveReader(ctx.database, createIngestStore(ctx.config.dataDir), ctx.store),
    clock: ctx.clock,
    secret: resolvePlaybackSecret(ctx.config.live.playbackTokenSecret, ctx.config.dataDir),
    ttlMs: ctx.config.archive.playbackTtl,
    access,
  });
}
