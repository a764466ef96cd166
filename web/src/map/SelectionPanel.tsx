/**
 * The cameras inside a circle drawn on the map (the registry's radius search, nearest first, only
 * those the current filters show): their names, "open on wall" (the first 25 on the smallest
 * layout holding them) and "clear".
 */
import { useTranslation } from 'react-i18next';
import type { Camera } from '@web/api/types';
import { MAX_WALL_CAMERAS } from './mapModel';

interface Props {
  cameras: Camera[] | null;
  onOpenWall(ids: string[]): void;
  onClear(): void;
}

export function SelectionPanel({ cameras, onOpenWall, onClear }: Props) {
  const { t } = useTranslation();
  return (
    <div className="map-selection" data-testid="map-selection" data-count={cameras?.length ?? ''}>
      <strong>{cameras === null ? t('common.loading') : t('map.selected', { n: cameras.length })}</strong>
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
        <button type="button" className="btn btn-sm btn-ghost" data-testid="map-selection-clear" onClick={onClear}>
          {t('map.clearSelection')}
        </button>
      </div>
    </div>
  );
}
