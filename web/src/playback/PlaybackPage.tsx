/**
 * A camera's recorded playback: a day's timeline (spans, gaps coloured by cause, zoom down to
 * minutes), click to play from a time, speed 1/2/4/8x, jump to the previous or next gap, a date
 * picker. Address: /playback/<cameraId>?at=<ISO> (from the registry and the wall's "replay").
 * A player standing still goes on by itself: past a gap to where recording resumes, else afresh
 * from where it stood (resumeAfterStall).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GAP_CAUSES, type Timeline } from '@common/timeline';
import { getCamera } from '@web/api/cameras';
import { getTimeline } from '@web/api/recordings';
import { TimelineBar } from './TimelineBar';
import { DAY_MS, SPEEDS, ZOOMS_MS, dayOf, nextGap, playableFrom, previousGap, resumeAfterStall, zoomWindow } from './timelineModel';
import { usePlayback } from './usePlayback';

interface Props {
  cameraId: string;
  at: number | null;
  onNavigate(path: string): void;
}

const dateInput = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function PlaybackPage({ cameraId, at, onNavigate }: Props) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [name, setName] = useState<string | null>(null);
  const [day, setDay] = useState(() => dayOf(at ?? Date.now()));
  const [zoom, setZoom] = useState(0);
  const [focus, setFocus] = useState(at ?? Date.now());
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [speed, setSpeed] = useState<number>(1);
  // A player standing still goes on: past the gap ahead, else afresh from where it stood, else a
  // little later (timelineModel resumeAfterStall).
  const startRef = useRef<(when: number) => void>(() => undefined);
  const timelineRef = useRef<Timeline | null>(null);
  const retriedAt = useRef<number | null>(null);
  const onStuck = useCallback((wall: number) => {
    const on = timelineRef.current ? resumeAfterStall(timelineRef.current, wall, retriedAt.current) : null;
    retriedAt.current = wall;
    if (on !== null) startRef.current(on);
  }, []);
  const { state, play } = usePlayback(cameraId, videoRef, speed, undefined, onStuck);
  const view = useMemo(() => zoomWindow(day, ZOOMS_MS[zoom]!, state.wall ?? focus), [day, zoom, state.wall, focus]);

  useEffect(() => {
    getCamera(cameraId).then((c) => setName(c.name), () => setName(null));
  }, [cameraId]);

  const load = useCallback(async () => {
    setTimeline(await getTimeline(cameraId, new Date(day.start), new Date(Math.min(day.end, Date.now() + 60_000))));
  }, [cameraId, day]);

  useEffect(() => {
    void load().catch(() => setTimeline(null));
    const timer = setInterval(() => void load().catch(() => undefined), 30_000);
    return () => clearInterval(timer);
  }, [load]);

  const start = useCallback(
    (when: number) => {
      const from = timeline ? playableFrom(timeline, when) : when;
      setFocus(from ?? when);
      if (from !== null) void play(from);
    },
    [timeline, play],
  );

  useEffect(() => {
    startRef.current = start;
    timelineRef.current = timeline;
  }, [start, timeline]);

  // Autoplay the requested time once the timeline is known.
  const started = useRef(false);
  useEffect(() => {
    if (!timeline || started.current || at === null) return;
    started.current = true;
    start(at);
  }, [timeline, at, start]);

  const here = state.wall ?? focus;
  const prev = timeline ? previousGap(timeline, here) : null;
  const next = timeline ? nextGap(timeline, here) : null;
  const causes = new Set(timeline?.gaps.map((g) => g.cause));

  return (
    <section className="playback" data-testid="playback-page" data-camera-id={cameraId}>
      <header className="playback-head">
        <button type="button" className="btn btn-sm" onClick={() => onNavigate('/cameras')}>
          {t('playback.back')}
        </button>
        <h1>
          {t('playback.title')} · {name ?? cameraId}
        </h1>
        <label className="playback-date">
          {t('playback.date')}
          <input
            type="date"
            data-testid="playback-date"
            value={dateInput(day.start)}
            max={dateInput(Date.now())}
            onChange={(e) => {
              const d = Date.parse(`${e.target.value}T00:00:00`);
              if (!Number.isNaN(d)) {
                setDay(dayOf(d));
                setFocus(d + DAY_MS / 2);
              }
            }}
          />
        </label>
      </header>
      <div className="playback-stage">
        <video ref={videoRef} className="playback-video" data-testid="playback-video" muted playsInline controls />
        <div className="playback-status" role="status" data-testid="playback-clock" data-phase={state.phase} data-wall={state.wall ?? ''} data-started={state.startedAt ?? ''} data-error={state.error ?? undefined}>
          {state.wall !== null ? new Date(state.wall).toLocaleString() : state.phase === 'loading' ? t('common.loading') : state.phase === 'error' ? t('playback.error') : t('playback.pick')}
        </div>
      </div>
      <div className="playback-controls">
        <div className="btn-group" role="group" aria-label={t('playback.speed')}>
          {SPEEDS.map((s) => (
            <button key={s} type="button" className={`btn btn-sm${s === speed ? ' btn-primary' : ''}`} data-testid={`playback-speed-${s}`} aria-pressed={s === speed} onClick={() => setSpeed(s)}>
              {s}×
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-sm" data-testid="playback-prev-gap" disabled={!prev} onClick={() => prev && start(prev.end)}>
          {t('playback.prevGap')}
        </button>
        <button type="button" className="btn btn-sm" data-testid="playback-next-gap" disabled={!next} onClick={() => next && start(next.end)}>
          {t('playback.nextGap')}
        </button>
        <div className="btn-group" role="group" aria-label={t('playback.zoom')}>
          {ZOOMS_MS.map((z, i) => (
            <button key={z} type="button" className={`btn btn-sm${i === zoom ? ' btn-primary' : ''}`} data-testid={`playback-zoom-${i}`} aria-pressed={i === zoom} onClick={() => setZoom(i)}>
              {t(`playback.zoomLevel.${i}`)}
            </button>
          ))}
        </div>
      </div>
      <TimelineBar timeline={timeline} window={view} playhead={state.wall} onPick={start} />
      <ul className="tl-legend">
        <li>
          <i className="tl-span" /> {t('playback.recorded')}
        </li>
        {GAP_CAUSES.filter((c) => causes.has(c)).map((c) => (
          <li key={c}>
            <i className={`tl-${c}`} /> {t(`playback.cause.${c}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}
