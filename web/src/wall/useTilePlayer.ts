/**
 * Drives one tile's player from the recovery state machine: (re)creates the player with fresh
 * URLs on every new generation, watches progress, renews tokens before expiry (renewal.ts), schedules
 * retries, and destroys everything on teardown or unmount. `wantSub`: play the camera's sub stream
 * when it has one (streamChoice.ts); a sub stream that fails (error, no start, stall) is not tried
 * again by this tile until `wantSub` turns off and on or the camera changes: the retry plays main.
 */
import { useEffect, useReducer, useRef, useState, type RefObject } from 'react';
import type { CameraStatus } from '@common/domain';
import { getLiveUrls } from '@web/api/live';
import type { PlayMode } from './layout';
import { createPlayer, type PlayerHandle } from './player';
import { initialTile, tileReducer, type TileState } from './recovery';
import { keepRenewing } from './renewal';
import { checkProgress, startProgress, WATCH_LIMITS } from './timing';
import { pickStream, type TileStream } from './streamChoice';

const TICK_MS = 1_000;

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** `status` null: the camera is not loaded yet (or missing), so the tile holds no player. `stream`: what the player plays (null: none yet). */
export function useTilePlayer(cameraId: string | null, status: CameraStatus | null, mode: PlayMode, videoRef: RefObject<HTMLVideoElement | null>, wantSub = false): TileState & { stream: TileStream | null } {
  const [state, dispatch] = useReducer(tileReducer, initialTile);
  const statusRef = useRef(status);
  statusRef.current = status;
  const modeRef = useRef(mode);
  modeRef.current = mode;

  const known = status !== null;
  useEffect(() => {
    dispatch({ type: 'assign', cameraId: known ? cameraId : null, status: statusRef.current ?? 'unknown' });
  }, [cameraId, known]);

  useEffect(() => {
    if (status !== null) dispatch({ type: 'status', status });
  }, [status]);

  const playingMode = useRef(mode);
  useEffect(() => {
    if (playingMode.current === mode) return;
    playingMode.current = mode;
    dispatch({ type: 'restart' });
  }, [mode]);

  const [stream, setStream] = useState<TileStream | null>(null);
  const wantSubRef = useRef(wantSub);
  wantSubRef.current = wantSub;
  const subFailed = useRef(false);
  const hasSub = useRef(false);
  const streamRef = useRef<TileStream | null>(null);
  useEffect(() => {
    subFailed.current = false;
    hasSub.current = false;
  }, [cameraId]);
  useEffect(() => {
    subFailed.current = false;
    // Restart only when the stream played would change (a camera without a sub stream keeps playing).
    if ((wantSub && hasSub.current && streamRef.current === 'main') || (!wantSub && streamRef.current === 'sub')) dispatch({ type: 'restart' });
  }, [wantSub]);

  const active = state.phase === 'connecting' || state.phase === 'playing';
  const { generation } = state;
  const id = state.cameraId;

  useEffect(() => {
    const video = videoRef.current;
    if (!active || !id || !video) return;
    const playMode = modeRef.current;
    const ctrl = new AbortController();
    const timers = new Set<number>();
    let closed = false;
    let player: PlayerHandle | null = null;
    let onSub = false;
    const fail = (reason: string) => {
      if (closed) return;
      if (onSub) subFailed.current = true; // the retry plays the main stream
      dispatch({ type: 'failed', generation, reason });
    };
    const later = (fn: () => void, ms: number) => {
      const t = window.setTimeout(() => {
        timers.delete(t);
        if (!closed) fn();
      }, ms);
      timers.add(t);
    };

    const renew = (p: PlayerHandle, expiresAt: string | undefined) =>
      keepRenewing(
        {
          fetchUrls: () => getLiveUrls(id, ctrl.signal),
          refresh: (fresh) => p.refresh(fresh),
          restart: () => dispatch({ type: 'restart' }),
          later,
          now: () => Date.now(),
          closed: () => closed,
        },
        expiresAt,
      );

    let progress = startProgress(Date.now());
    const watchdog = window.setInterval(() => {
      const now = Date.now();
      if (document.hidden) {
        // Background tabs may throttle media: judge only what happens while visible.
        progress = { ...progress, startedAt: now, lastChangeAt: progress.lastChangeAt === null ? null : now };
        return;
      }
      const r = checkProgress(progress, video.currentTime, now, WATCH_LIMITS[playMode]);
      progress = r.progress;
      if (r.verdict === 'progress') dispatch({ type: 'progress', generation });
      else if (r.verdict === 'stalled' || r.verdict === 'no_start') fail(r.verdict);
    }, TICK_MS);

    (async () => {
      const urls = await getLiveUrls(id, ctrl.signal);
      if (closed) return;
      const pick = pickStream(urls, wantSubRef.current, subFailed.current);
      hasSub.current = urls.sub !== undefined;
      onSub = pick.stream === 'sub';
      streamRef.current = pick.stream;
      setStream(pick.stream);
      const p = await createPlayer(playMode, video, pick.urls, { onError: fail });
      if (closed) {
        p.destroy();
        return;
      }
      player = p;
      if (p.needsRefresh) renew(p, urls.expiresAt);
    })().catch((e: unknown) => {
      if (!isAbort(e)) fail(reasonOf(e));
    });

    return () => {
      closed = true;
      ctrl.abort();
      window.clearInterval(watchdog);
      timers.forEach((t) => window.clearTimeout(t));
      try {
        player?.destroy();
      } catch {
        /* a half-started player may throw while tearing down; the element is reset below */
      }
      player = null;
    };
  }, [active, id, generation, videoRef]);

  useEffect(() => {
    if (state.phase !== 'retrying' || state.retryInMs === null) return;
    const t = window.setTimeout(() => dispatch({ type: 'retry' }), state.retryInMs);
    return () => window.clearTimeout(t);
  }, [state.phase, state.retryInMs, state.attempt]);

  return { ...state, stream: state.phase === 'connecting' || state.phase === 'playing' ? stream : null };
}
