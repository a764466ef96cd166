/**
 * The timeline: recorded spans and gaps coloured by cause over the visible window, a playhead, hour
 * ticks, optionally a highlighted range (the incident timeline's in/out marks); click to play from there.
 */
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Timeline } from '@common/timeline';
import { bars, fromFraction, toFraction, type Window } from './timelineModel';

interface Props {
  timeline: Timeline | null;
  window: Window;
  playhead: number | null;
  onPick(at: number): void;
  range?: Window | null;
}

function ticks(w: Window): number[] {
  const width = w.end - w.start;
  const step = width > 6 * 3_600_000 ? 3 * 3_600_000 : width > 3_600_000 ? 3_600_000 : width > 20 * 60_000 ? 10 * 60_000 : 60_000;
  const out: number[] = [];
  const first = Math.ceil(w.start / step) * step;
  for (let t = first; t <= w.end; t += step) out.push(t);
  return out;
}

const clock = (t: number, seconds = false) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false });

export function TimelineBar({ timeline, window: w, playhead, onPick, range = null }: Props) {
  const { t } = useTranslation();
  const pick = (e: MouseEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    onPick(Math.round(fromFraction(w, (e.clientX - r.left) / r.width)));
  };
  const visible = (timeline ? bars(timeline) : []).filter((b) => b.end > w.start && b.start < w.end);
  return (
    <div className="tl">
      <div className="tl-track" data-testid="playback-timeline" data-from={w.start} data-to={w.end} onClick={pick} role="slider" aria-label={t('playback.timeline')} aria-valuemin={w.start} aria-valuemax={w.end} aria-valuenow={playhead ?? w.start} tabIndex={0}>
        {visible.map((b) => {
          const left = toFraction(w, b.start) * 100;
          const width = Math.max(0.15, (toFraction(w, b.end) - toFraction(w, b.start)) * 100);
          const title = `${clock(b.start, true)}–${clock(b.end, true)} ${b.kind === 'span' ? t('playback.recorded') : t(`playback.cause.${b.kind}`)}`;
          return <div key={`${b.kind}-${b.start}`} className={`tl-bar tl-${b.kind}`} data-kind={b.kind} data-from={b.start} data-to={b.end} style={{ left: `${left}%`, width: `${width}%` }} title={title} />;
        })}
        {range && range.end > w.start && range.start < w.end && (
          <div className="tl-range" data-testid="timeline-range" data-from={range.start} data-to={range.end} style={{ left: `${toFraction(w, range.start) * 100}%`, width: `${(toFraction(w, range.end) - toFraction(w, range.start)) * 100}%` }} />
        )}
        {playhead !== null && playhead >= w.start && playhead <= w.end && <div className="tl-head" style={{ left: `${toFraction(w, playhead) * 100}%` }} />}
      </div>
      <div className="tl-ticks" aria-hidden="true">
        {ticks(w).map((tk) => (
          <span key={tk} style={{ left: `${toFraction(w, tk) * 100}%` }}>
            {clock(tk)}
          </span>
        ))}
      </div>
    </div>
  );
}
