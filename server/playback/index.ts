/** Recorded playback module: the service over the recording index and a segment reader, and its routes. */
import type { AppContext } from '@server/context';
import { resolvePlaybackSecret } from '@server/live/secret';
import { segmentIndex } from '@server/ledger/segment-index';
import { createIngestStore } from '@workers/store/paths';
import { archiveReader } from './reader';
import { PlaybackService } from './service';
import './openapi';

export { playbackRoutes, playbackMediaRoutes } from './routes';
export { PlaybackService } from './service';

export function buildPlaybackService(ctx: Pick<AppContext, 'database' | 'clock' | 'config' | 'store'>): PlaybackService {
  return new PlaybackService({
    database: ctx.database,
    index: segmentIndex(ctx.database),
    reader: archiveReader(ctx.database, createIngestStore(ctx.config.dataDir), ctx.store),
    clock: ctx.clock,
    secret: resolvePlaybackSecret(ctx.config.live.playbackTokenSecret, ctx.config.dataDir),
    ttlMs: ctx.config.archive.playbackTtl,
  });
}
