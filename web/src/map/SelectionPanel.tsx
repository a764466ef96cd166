/**
 * The cameras inside an area drawn on the map (a circle: the registry's radius search, nearest
 * first; a rectangle: its bounding-box search), only those the current filters show: their names,
 * "open on wall" (the first 25 on the smallest layout holding them), "add to incident" (staff, see
 * SendToIncident) and "clear".
 */
import { useTranslation } from 'react-i18next';
import type { Camera } from '@web/api/types';
import { useUser } from '@web/auth/SessionContext';
import { MAX_WALL_CAMERAS, type MapArea } from './mapModel';
import { SendToIncident } from './SendToIncident';

interface Props {
  area: MapArea;
  cameras: Camera[] | null;
  onOpenWall(ids: string[]): void;
  onOpenIncident(id: string): void;
  onClear(): void;
}

export function SelectionPanel({ area, cameras, onOpenWall, onOpenIncident, onClear }: Props) {
  const { t } = useTranslation();
  const role = useUser().role;
  return (
    <div className="map-selection" data-testid="map-selection" data-shape={area.shape} data-count={cameras?.length ?? ''}>
      <strong>{cameras === null ? t('common.loading') : t(area.shape === 'circle' ? 'map.selected' : 'map.selectedRect', { n: cameras.length })}</strong>
      {cameras && cameras.length > MAX_WALL_CAMERAS && <span className="muted"> {t('map.firstOnWall', { n: MAX_WALL_CAMERAS })}</span>}
      <ul>
        {cameras?.map((c) => (
          <li key={c.id} data-testid="map-selected-camera" data-camera-id={c.id}>
            {c.name}
          </li>
        ))}
      </ul>
      <div className="map-selection-actions">
        <button type="button" className="btn btn-sm btn-primary" data-testid="map-selection-wall" disabled={!cameras || cameras.length === 0} onClick={() => cameras && onOpenWall(cameras.map((c) => c.id))}>
          {t('map.openOnWall')}
        </button>
        {role !== 'merchant' && cameras && <SendToIncident cameras={cameras} area={area} onOpenIncident={onOpenIncident} />}
        <button type="button" className="btn btn-sm btn-ghost" data-testid="map-selection-clear" onClick={onClear}>
          {t('map.clearSelection')}
        </button>
      </div>
    </div>
  );
}
