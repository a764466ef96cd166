/** The multi-camera timeline's controls: play/pause, the playhead's time, mark in/out (also keys I/O), the marked range and "cut clips". */
import { useTranslation } from 'react-i18next';
import type { Window } from '@web/playback/timelineModel';
import { formatSecond } from '@web/evidence/evidenceModel';
import type { Marks } from './marksModel';
import type { SharedClock } from './useSharedClock';

interface Props {
  clock: SharedClock;
  marks: Marks;
  range: Window | null;
  /** Cutting is offered (the user may edit the incident); `cameras` is how many are selected. */
  canCut: boolean;
  cameras: number;
  busy: boolean;
  onMark(which: 'in' | 'out'): void;
  onClear(): void;
  onCut(): void;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function TimelineControls({ clock, marks, range, canCut, cameras, busy, onMark, onClear, onCut }: Props) {
  const { t } = useTranslation();
  return (
    <div className="mtl-controls">
      <button type="button" className="btn btn-sm" data-testid="mtl-play" aria-pressed={clock.running} onClick={clock.toggle}>
        {clock.running ? t('incidents.timeline.pause') : t('incidents.timeline.play')}
      </button>
      <span className="mtl-playhead" data-testid="mtl-playhead" data-at={clock.playhead}>
        {formatSecond(iso(clock.playhead))}
      </span>
      <button type="button" className="btn btn-sm" data-testid="mtl-in" title={t('incidents.timeline.keys')} onClick={() => onMark('in')}>
        {t('incidents.timeline.markIn')}
      </button>
      <button type="button" className="btn btn-sm" data-testid="mtl-out" title={t('incidents.timeline.keys')} onClick={() => onMark('out')}>
        {t('incidents.timeline.markOut')}
      </button>
      <span className="mtl-range" data-testid="mtl-range" data-from={marks.in ?? ''} data-to={marks.out ?? ''}>
        {formatSecond(iso(marks.in))} – {formatSecond(iso(marks.out))}
      </span>
      <button type="button" className="btn btn-sm btn-ghost" data-testid="mtl-clear" disabled={marks.in === null && marks.out === null} onClick={onClear}>
        {t('incidents.timeline.clear')}
      </button>
      {canCut && (
        <button type="button" className="btn btn-primary btn-sm" data-testid="mtl-cut" disabled={busy || !range || cameras === 0} onClick={onCut}>
          {t('incidents.timeline.cut', { count: cameras })}
        </button>
      )}
      <span className="muted mtl-keys">{t('incidents.timeline.keys')}</span>
    </div>
  );
}
