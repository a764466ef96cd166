/**
 * The incident's cameras, nearest first: distance, in radius or added by hand, recorded share of the
 * window and a coverage bar (the playback page's TimelineBar over the incident's window; a click
 * opens playback there). Add a camera by hand by searching the registry.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FootageRequest, IncidentCameraList } from '@common/incidents';
import { requestFootage } from '@web/api/footage';
import { listCameras } from '@web/api/cameras';
import { addIncidentCamera, removeIncidentCamera } from '@web/api/incidents';
import type { Camera } from '@web/api/types';
import { TimelineBar } from '@web/playback/TimelineBar';
import { playbackPath } from '@web/playback/timelineModel';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { formatCoverage, formatDistance } from './incidentModel';

interface Props {
  incidentId: string;
  list: IncidentCameraList | null;
  canEdit: boolean;
  /** The incident's footage requests (household and shopfront cameras shared on request). */
  requests: FootageRequest[];
  onChanged(): void;
  onNavigate(path: string): void;
}

export function IncidentCameras({ incidentId, list, canEdit, requests, onChanged, onNavigate }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Camera[]>([]);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const window = list ? { start: Date.parse(list.from), end: Date.parse(list.to) } : null;
  const listed = new Set(list?.items.map((c) => c.cameraId));
  /** The newest footage request for a camera, if any (requests come newest first). */
  const latest = (cameraId: string) => requests.find((r) => r.cameraId === cameraId);

  const search = async () => {
    try {
      setFound((await listCameras({ q: query.trim() || undefined })).items.filter((c) => !listed.has(c.id)).slice(0, 10));
    } catch (e) {
      setBanner(describeError(e, t));
    }
  };
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setBanner(null);
      onChanged();
    } catch (e) {
      setBanner(describeError(e, t));
    }
  };

  return (
    <section className="panel incident-cameras" data-testid="incident-cameras">
      <h2>{t('incidents.cameras.title')}</h2>
      {banner && <ErrorBanner banner={banner} testId="incident-cameras-error" />}
      {!list && <div className="empty">{t('common.loading')}</div>}
      {list && list.items.length === 0 && <div className="empty">{t('incidents.cameras.none')}</div>}
      <ul className="coverage-list">
        {list?.items.map((c) => (
          <li key={c.cameraId} className="coverage-item" data-testid="incident-camera" data-camera-id={c.cameraId} data-manual={c.manual} data-coverage={c.coverage ?? ''}>
            <div className="coverage-head">
              <strong className="cell-name">{c.name}</strong>
              <span className="muted">{formatDistance(c.distance)}</span>
              {c.manual && <span className="tag">{t('incidents.cameras.manual')}</span>}
              {!c.inRadius && <span className="tag">{t('incidents.cameras.outside')}</span>}
              {c.sharing && c.sharing !== 'shared' && <span className="tag">{t(`footage.mode.${c.sharing}`)}</span>}
              {latest(c.cameraId) && (
                <span className="tag" data-testid="footage-state">
                  {t('footage.list')}: {t(`footage.state.${latest(c.cameraId)!.status}`)}
                </span>
              )}
              {c.sharing === 'on_request' && canEdit && list && !latest(c.cameraId) && (
                <button type="button" className="btn btn-sm" data-testid="footage-request" onClick={() => void act(() => requestFootage(incidentId, { cameraId: c.cameraId, from: list.from, to: list.to }))}>
                  {t('footage.request')}
                </button>
              )}
              <span className="coverage-share" title={t('incidents.cameras.coverage')}>
                {t('incidents.cameras.coverage')} {formatCoverage(c.coverage)}
              </span>
              {c.manual && canEdit && (
                <button type="button" className="btn btn-sm btn-ghost" onClick={() => void act(() => removeIncidentCamera(incidentId, c.cameraId))}>
                  {t('incidents.cameras.remove')}
                </button>
              )}
            </div>
            {window && <TimelineBar timeline={c.timeline} window={window} playhead={null} onPick={(at) => onNavigate(playbackPath(c.cameraId, at))} />}
          </li>
        ))}
      </ul>
      {canEdit && (
        <div className="incident-add-camera">
          <input type="search" value={query} placeholder={t('incidents.cameras.search')} data-testid="incident-camera-search" onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void search()} />
          <button type="button" className="btn btn-sm" data-testid="incident-camera-find" onClick={() => void search()}>
            {t('incidents.cameras.find')}
          </button>
          <ul className="found">
            {found.map((c) => (
              <li key={c.id}>
                {c.name} <span className="muted">{c.location.address ?? ''}</span>
                <button
                  type="button"
                  className="btn btn-sm"
                  data-testid="incident-camera-add"
                  onClick={() =>
                    void act(async () => {
                      await addIncidentCamera(incidentId, c.id);
                      setFound((f) => f.filter((x) => x.id !== c.id));
                    })
                  }
                >
                  {t('incidents.cameras.add')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
