/**
 * A camera's status history, newest first: when each state began, why, and who said so (the
 * ingest worker, or Sky Eye itself when no worker holds the camera). Older pages on demand.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getStatusHistory } from '@web/api/cameras';
import type { Camera, StatusHistoryItem } from '@web/api/types';
import { Dialog } from '@web/ui/Dialog';
import { ErrorBanner } from '@web/ui/ErrorBanner';
import { describeError, type ErrorNotice } from '@web/ui/errors';
import { causeText } from '@web/i18n/cause';
import { StatusBadge } from './Badges';
import { formatDateTime } from './format';

interface Props {
  camera: Camera | null;
  onClose: () => void;
}

export function StatusHistoryDialog({ camera, onClose }: Props) {
  const { t } = useTranslation();
  const [items, setItems] = useState<StatusHistoryItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorNotice | null>(null);
  const id = camera?.id ?? null;

  const load = async (from: string | null, signal?: AbortSignal) => {
    if (!id) return;
    setLoading(true);
    setError(null);
    try {
      const page = await getStatusHistory(id, from, signal);
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (!signal?.aborted) setError(describeError(e, t));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    setItems([]);
    setCursor(null);
    if (!id) return;
    const ctrl = new AbortController();
    void load(null, ctrl.signal);
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  return (
    <Dialog open={camera !== null} title={t('history.title', { name: camera?.name ?? '' })} onClose={onClose} testId="status-history" wide>
      {error && <ErrorBanner banner={error} testId="status-history-error" />}
      <table className="grid" data-testid="status-history-table" aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">{t('history.time')}</th>
            <th scope="col">{t('history.status')}</th>
            <th scope="col">{t('history.cause')}</th>
            <th scope="col">{t('history.detail')}</th>
            <th scope="col">{t('history.worker')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((h, i) => (
            <tr key={`${h.at}-${i}`} data-testid="status-history-row" data-status={h.status}>
              <td className="cell-time">
                <time dateTime={h.at}>{formatDateTime(h.at, true)}</time>
              </td>
              <td>
                <StatusBadge status={h.status} cause={null} />
              </td>
              <td data-testid="status-history-cause">{causeText(t, h.cause)}</td>
              <td data-testid="status-history-detail" className="cell-detail">{h.detail}</td>
              <td>{h.workerId ?? t('history.platform')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && !error && items.length === 0 && <div className="empty">{t('history.empty')}</div>}
      {loading && <span role="status">{t('common.loading')}</span>}
      {!loading && cursor && (
        <button type="button" className="btn" data-testid="status-history-more" onClick={() => void load(cursor)}>
          {t('history.more')}
        </button>
      )}
    </Dialog>
  );
}
