/** Dialog to put a camera into a tile: search the registry (GET /cameras?q=&limit=50) and pick one. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listCameras } from '@web/api/cameras';
import type { Camera } from '@web/api/types';
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
  const [items, setItems] = useState<Camera[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      setFailed(false);
      listCameras({ q: q.trim() }, null, ctrl.signal)
        .then((page) => setItems(page.items))
        .catch((e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setFailed(true);
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [open, q]);

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
