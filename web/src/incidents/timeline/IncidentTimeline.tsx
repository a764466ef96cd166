/**
 * The multi-camera timeline of an incident: pick some of its cameras; each gets a row with its
 * coverage and gaps over the incident's window (the playback page's TimelineBar, fed by the
 * incident's camera list from the continuity ledger) and a small player. One playhead: a click on
 * any row scrubs all players to that wall-clock time, play/pause runs them together. Mark in/out
 * (buttons or keys I/O) and cut the marked range of every selected camera in one clip request.
 */
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentCameraList } from '@common/incidents';
import { requestClips } from '@web/api/clips';
import { TimelineBar } from '@web/playback/TimelineBar';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { formatCoverage } from '@web/incidents/incidentModel';
import { cutRequest, markedRange, markIn, markOut, NO_MARKS, type Marks } from './marksModel';
import { SyncedPlayer } from './SyncedPlayer';
import { TimelineControls } from './TimelineControls';
import { useMarkKeys } from './useMarkKeys';
import { useSharedClock } from './useSharedClock';

interface Props {
  incidentId: string;
  list: IncidentCameraList;
  canEdit: boolean;
  /** Clip jobs were created (the clip list reads them). */
  onCut(ids: string[]): void;
}

/** Players shown at once (each one is a decoder and a playlist). */
export const MAX_SYNCED = 4;

export function IncidentTimeline({ incidentId, list, canEdit, onCut }: Props) {
  const { t } = useTranslation();
  const window = useMemo(() => ({ start: Date.parse(list.from), end: Date.parse(list.to) }), [list.from, list.to]);
  const clock = useSharedClock(window);
  const [selected, setSelected] = useState<string[]>([]);
  const [marks, setMarks] = useState<Marks>(NO_MARKS);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);
  const range = markedRange(marks);
  const rows = list.items.filter((c) => selected.includes(c.cameraId));
  const playhead = useRef(clock.playhead);
  playhead.current = clock.playhead;

  const mark = (which: 'in' | 'out') => setMarks((m) => (which === 'in' ? markIn(m, playhead.current) : markOut(m, playhead.current)));
  useMarkKeys(selected.length > 0, mark);

  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const cut = async () => {
    if (!range) return;
    setBusy(true);
    try {
      const { ids } = await requestClips(incidentId, cutRequest(rows.map((c) => c.cameraId), range));
      setBanner(null);
      onCut(ids);
    } catch (e) {
      setBanner(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel incident-timeline" data-testid="incident-timeline" data-playhead={clock.playhead} data-running={clock.running}>
      <h2>{t('incidents.timeline.title')}</h2>
      {banner && <ErrorBanner banner={banner} testId="mtl-error" />}
      <fieldset className="assignees">
        <legend>{t('incidents.timeline.cameras', { count: MAX_SYNCED })}</legend>
        {list.items.map((c) => (
          <label key={c.cameraId} className="check">
            <input
              type="checkbox"
              data-testid="mtl-camera"
              data-camera-id={c.cameraId}
              checked={selected.includes(c.cameraId)}
              disabled={!selected.includes(c.cameraId) && selected.length >= MAX_SYNCED}
              onChange={(e) => toggle(c.cameraId, e.target.checked)}
            />{' '}
            {c.name} <span className="muted">{formatCoverage(c.coverage)}</span>
          </label>
        ))}
      </fieldset>
      {rows.length === 0 && <div className="empty">{t('incidents.timeline.none')}</div>}
      {rows.length > 0 && (
        <>
          <TimelineControls clock={clock} marks={marks} range={range} canCut={canEdit} cameras={rows.length} busy={busy} onMark={mark} onClear={() => setMarks(NO_MARKS)} onCut={() => void cut()} />
          <ul className="mtl-rows">
            {rows.map((c) => (
              <li key={c.cameraId} className="mtl-row" data-testid="mtl-row" data-camera-id={c.cameraId}>
                <span className="mtl-name cell-name">{c.name}</span>
                <TimelineBar timeline={c.timeline} window={window} playhead={clock.playhead} range={range} onPick={clock.seek} />
              </li>
            ))}
          </ul>
          <div className="mtl-players">
            {rows.map((c) => (
              <SyncedPlayer key={c.cameraId} incidentId={incidentId} cameraId={c.cameraId} name={c.name} timeline={c.timeline} clock={clock} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
