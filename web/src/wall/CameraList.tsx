/**
 * The wall's camera list: approved cameras the user may see (GET /cameras?enrollment=approved),
 * searchable; drag one onto a tile, or click it to put it into the selected tile. Pending,
 * rejected and suspended cameras are never offered.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApprovedCameras } from './useApprovedCameras';
import { DRAG_CAMERA } from './WallTile';

interface Props {
  onPick: (cameraId: string) => void;
  /** Ids on the wall now (marked in the list). */
  onWall: ReadonlySet<string>;
}

export function CameraList({ onPick, onWall }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const { items, failed } = useApprovedCameras(q);

  return (
    <aside className="wall-list" aria-label={t('wall.cameraList')} data-testid="wall-camera-list">
      <input type="search" data-testid="wall-list-search" aria-label={t('registry.searchLabel')} placeholder={t('registry.search')} value={q} onChange={(e) => setQ(e.target.value)} />
      <p className="wall-list-hint">{t('wall.dragHint')}</p>
      {failed && <p className="wall-picker-note">{t('error.generic')}</p>}
      {items === null && !failed && <p className="wall-picker-note">{t('common.loading')}</p>}
      {items?.length === 0 && <p className="wall-picker-note">{t('registry.empty')}</p>}
      <ul>
        {items?.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              draggable
              className={onWall.has(c.id) ? 'wall-list-item on-wall' : 'wall-list-item'}
              data-testid="wall-list-camera"
              data-camera-id={c.id}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_CAMERA, c.id);
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onPick(c.id)}
            >
              <span className={`badge-dot status-${c.status}`} aria-hidden="true" />
              <span className="wall-option-name">{c.name}</span>
              <span className={`kind kind-${c.kind}`}>{t(`kind.${c.kind}`)}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
