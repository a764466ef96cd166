/**
 * The camera map (地图): every camera the user may see, coloured by live status and shaped by kind,
 * filtered by kind, status and enrollment; a marker's popup opens the camera on the wall or in
 * playback. Status follows the socket as the wall and the registry do. "Select circle" / "select
 * rectangle": drag an area; the cameras in it (radius or bounding-box search) can be opened on the
 * wall together or added to an incident (staff).
 */
import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CAMERA_KINDS, CAMERA_STATUSES, ENROLLMENT_STATES } from '@common/domain';
import { playbackPath } from '@web/playback/timelineModel';
import { describeError } from '@web/ui/errors';
import { ErrorBanner } from '@web/ui/ErrorBanner';
import { listMapCameras } from '@web/api/map';
import type { Camera } from '@web/api/types';
import { CameraMap } from './CameraMap';
import { incidentPath } from '@web/incidents/incidentModel';
import { areaQuery, DEFAULT_FILTER, filterCameras, isDown, wallPathFor, wallPathForMany, type MapArea, type MapFilter, type SelectShape } from './mapModel';
import { SelectionPanel } from './SelectionPanel';
import { useMapCameras } from './useMapCameras';

/** Playback opens on the last 10 minutes. */
const PLAYBACK_BACK_MS = 10 * 60_000;

export function MapPage({ onNavigate }: { onNavigate(path: string): void }) {
  const { t } = useTranslation();
  const { cameras, settings, error } = useMapCameras();
  const [filter, setFilter] = useState<MapFilter>(DEFAULT_FILTER);
  const shown = useMemo(() => filterCameras(cameras ?? [], filter), [cameras, filter]);
  const down = shown.filter((c) => isDown(c.status)).length;
  const [selecting, setSelecting] = useState<SelectShape | null>(null);
  const [area, setArea] = useState<MapArea | null>(null);
  const [inArea, setInArea] = useState<Camera[] | null>(null);
  useEffect(() => {
    if (!area) return;
    const ctrl = new AbortController();
    setInArea(null);
    listMapCameras(ctrl.signal, areaQuery(area))
      .then((items) => setInArea(filterCameras(items, filter)))
      .catch(() => setInArea([]));
    return () => ctrl.abort();
  }, [area, filter]);
  const set = (key: keyof MapFilter) => (e: ChangeEvent<HTMLSelectElement>) => setFilter((f) => ({ ...f, [key]: e.target.value }));

  return (
    <div className="map-page" data-testid="map-page">
      <div className="page-head">
        <h1>{t('map.title')}</h1>
        <span className="page-count" data-testid="map-count" data-shown={shown.length} data-total={cameras?.length ?? 0}>
          {cameras === null ? t('common.loading') : t('map.count', { shown: shown.length, total: cameras.length, down })}
        </span>
      </div>
      <div className="toolbar">
        <select data-testid="map-filter-kind" aria-label={t('registry.filter.kind')} value={filter.kind} onChange={set('kind')}>
          <option value="">{t('map.allKinds')}</option>
          {CAMERA_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
        <select data-testid="map-filter-status" aria-label={t('registry.filter.status')} value={filter.status} onChange={set('status')}>
          <option value="">{t('map.allStatuses')}</option>
          {CAMERA_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <select data-testid="map-filter-enrollment" aria-label={t('registry.filter.enrollment')} value={filter.enrollment} onChange={set('enrollment')}>
          <option value="">{t('map.allEnrollment')}</option>
          {ENROLLMENT_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`enrollment.${s}`)}
            </option>
          ))}
        </select>
        {(['circle', 'rect'] as const).map((shape) => (
          <button
            key={shape}
            type="button"
            className={selecting === shape ? 'btn btn-primary' : 'btn'}
            aria-pressed={selecting === shape}
            data-testid={shape === 'circle' ? 'map-select-area' : 'map-select-rect'}
            onClick={() => setSelecting((x) => (x === shape ? null : shape))}
          >
            {t(shape === 'circle' ? 'map.selectArea' : 'map.selectRect')}
          </button>
        ))}
        <MapLegend />
      </div>
      {error !== null && <ErrorBanner banner={describeError(error, t)} testId="map-error" />}
      {area && (
        <SelectionPanel
          area={area}
          cameras={inArea}
          onOpenWall={(ids) => onNavigate(wallPathForMany(ids))}
          onOpenIncident={(id) => onNavigate(incidentPath(id))}
          onClear={() => {
            setArea(null);
            setInArea(null);
          }}
        />
      )}
      <CameraMap
        cameras={shown}
        settings={settings}
        selecting={selecting}
        selection={area}
        onSelectArea={(a) => {
          setArea(a);
          setSelecting(null);
        }}
        onOpenLive={(c) => onNavigate(wallPathFor(c.id))}
        onOpenPlayback={(c) => onNavigate(playbackPath(c.id, Date.now() - PLAYBACK_BACK_MS))}
      />
    </div>
  );
}

function MapLegend() {
  const { t } = useTranslation();
  return (
    <ul className="map-legend" aria-label={t('map.legend')}>
      {CAMERA_KINDS.map((k) => (
        <li key={k}>
          <span className={`cam-marker legend mk-${k} ms-live`} aria-hidden="true" />
          {t(`kind.${k}`)}
        </li>
      ))}
      {(['live', 'reconnecting', 'offline', 'auth_failed'] as const).map((s) => (
        <li key={s}>
          <span className={`cam-marker legend mk-road ms-${s}`} aria-hidden="true" />
          {t(`status.${s}`)}
        </li>
      ))}
    </ul>
  );
}
