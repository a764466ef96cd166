/**
 * One recorded-playback player on a <video>: asks for a tokenised VOD playlist from `at` (up to
 * an hour, not past now) and plays it with hls.js; reports the wall-clock time being shown
 * (hls.js playingDate, from EXT-X-PROGRAM-DATE-TIME) and applies the speed.
 */
import hlsWorkerUrl from 'hls.js/dist/hls.worker.js?url';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { getPlayback } from '@web/api/recordings';
import { StallWatch } from './timelineModel';

type HlsInstance = InstanceType<(typeof import('hls.js/light'))['default']>;

export interface PlaybackState {
  /** Requested start of the current playback, or null before any. */
  startedAt: number | null;
  /** Wall-clock time on screen (ms), or null while nothing plays. */
  wall: number | null;
  phase: 'idle' | 'loading' | 'playing' | 'ended' | 'error';
  error: string | null;
}

const WINDOW_MS = 3_600_000;
/** How long the picture may stand still while the video should be playing before `onStuck` is told. */
export const STUCK_MS = 3_000;

/**
 * `incidentId`: the player replays for that incident (the multi-camera timeline). `onStuck(wall)`:
 * the picture has moved less than half a second in STUCK_MS though nobody paused it and it has not
 * ended (told again every STUCK_MS while it stays so; `wall` is the last time shown); the caller
 * may start a new playback elsewhere. With `onStuck`, a video the player left paused without anyone
 * asking (hls.js resetting its media source after a media error reloads the element) plays on.
 */
export function usePlayback(cameraId: string, video: RefObject<HTMLVideoElement | null>, speed: number, incidentId?: string, onStuck?: (wall: number) => void) {
  const [state, setState] = useState<PlaybackState>({ startedAt: null, wall: null, phase: 'idle', error: null });
  const hls = useRef<HlsInstance | null>(null);
  const generation = useRef(0);
  /** The last wall-clock time shown by this playback (hls.js may not name one while it recovers). */
  const lastWall = useRef<number | null>(null);
  /** Someone (the user, or a synced player) paused the video: it stays paused. */
  const pausedOnPurpose = useRef(false);
  const stuck = useRef(onStuck);
  useEffect(() => {
    stuck.current = onStuck;
  }, [onStuck]);

  const stop = useCallback(() => {
    hls.current?.destroy();
    hls.current = null;
  }, []);

  const play = useCallback(
    async (at: number) => {
      const gen = ++generation.current;
      stop();
      lastWall.current = null;
      pausedOnPurpose.current = false;
      setState({ startedAt: at, wall: null, phase: 'loading', error: null });
      try {
        const to = Math.min(at + WINDOW_MS, Date.now());
        const { url } = await getPlayback(cameraId, new Date(at), new Date(Math.max(to, at + 1_000)), undefined, incidentId);
        const { default: Hls } = await import('hls.js/light');
        const el = video.current;
        if (gen !== generation.current || !el) return;
        const h = new Hls({ workerPath: hlsWorkerUrl, enableWorker: true, startPosition: -1, maxBufferLength: 30 });
        hls.current = h;
        h.on(Hls.Events.ERROR, (_e, data) => {
          if (data.fatal) setState((s) => ({ ...s, phase: 'error', error: `${data.type}: ${data.details}` }));
        });
        h.loadSource(url);
        h.attachMedia(el);
        el.muted = true;
        el.playbackRate = speed;
        void el.play()?.catch(() => undefined);
      } catch (e) {
        if (gen === generation.current) setState((s) => ({ ...s, phase: 'error', error: (e as Error).message }));
      }
    },
    [cameraId, stop, video, speed, incidentId],
  );

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    el.playbackRate = speed;
    el.defaultPlaybackRate = speed;
  }, [speed, video]);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    const onTime = () => {
      const date = hls.current?.playingDate;
      if (!date || el.currentTime <= 0) return;
      lastWall.current = date.getTime();
      setState((s) => ({ ...s, wall: date.getTime(), phase: el.ended ? 'ended' : 'playing' }));
    };
    const onEnded = () => setState((s) => ({ ...s, phase: 'ended' }));
    // 'pause' fires for pause() calls and the controls, not for the element reloading its source.
    const onPause = () => (pausedOnPurpose.current = true);
    const onPlay = () => (pausedOnPurpose.current = false);
    el.addEventListener('timeupdate', onTime);
    el.addEventListener('ended', onEnded);
    el.addEventListener('pause', onPause);
    el.addEventListener('play', onPlay);
    const still = new StallWatch(STUCK_MS);
    const watch = setInterval(() => {
      if (!stuck.current || !hls.current) return still.tick(Date.now(), false, 0);
      const wall = hls.current.playingDate?.getTime() ?? lastWall.current;
      if (el.paused && !el.ended && !pausedOnPurpose.current && wall !== null) void el.play()?.catch(() => undefined);
      if (still.tick(Date.now(), wall !== null && !pausedOnPurpose.current && !el.ended, el.currentTime)) stuck.current(wall!);
    }, 500);
    return () => {
      el.removeEventListener('timeupdate', onTime);
      el.removeEventListener('ended', onEnded);
      el.removeEventListener('pause', onPause);
      el.removeEventListener('play', onPlay);
      clearInterval(watch);
    };
  }, [video]);

  useEffect(() => stop, [stop]);
  return { state, play };
}
