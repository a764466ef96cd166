/** Dialog to put a camera into a tile: search the approved cameras (GET /cameras?q=&enrollment=approved) and pick one. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApprovedCameras } from './useApprovedCameras';
import { Dialog } from '@web/ui/Dialog';


interface Props {
  open: boolean;
  /** The camera in the tile now, if any (offers "clear"). */
  current: string | null;
  onPick: (cameraId: string | null) => void;
  onClose: () => void;
}

export function CameraPicker({ open, current, onPick, onClose }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const { items, failed } = useApprovedCameras(q, open);

  const footer = current ? (
    <button type="button" className="btn btn-danger-ghost" data-testid="wall-tile-clear" onClick={() => onPick(null)}>
      {t('wall.clear')}
    </button>
  ) : undefined;

  return (
    <Dialog open={open} title={t('wall.pickTitle')} onClose={onClose} testId="wall-picker" footer={footer}>
      <input
        type="search"
        autoFocus
        data-testid="wall-camera-search"
        aria-label={t('registry.searchLabel')}
        placeholder={t('registry.search')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {failed && <p className="wall-picker-note">{t('error.generic')}</p>}
      {items === null && !failed && <p className="wall-picker-note">{t('common.loading')}</p>}
      {items?.length === 0 && <p className="wall-picker-note">{t('registry.empty')}</p>}
      <ul className="wall-picker-list">
        {items?.map((c) => (
          <li key={c.id}>
            <button type="button" className={c.id === current ? 'wall-option current' : 'wall-option'} data-testid="wall-camera-option" data-camera-id={c.id} onClick={() => onPick(c.id)}>
              <span className="wall-option-name">{c.name}</span>
              <span className={`kind kind-${c.kind}`}>{t(`kind.${c.kind}`)}</span>
              <span className={`badge status-${c.status}`} data-status={c.status}>
                <span className="badge-dot" aria-hidden="true" />
                {t(`status.${c.status}`)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
