/** Recent scans (newest first); open one to see its devices. */
import { useTranslation } from 'react-i18next';
import type { ScanSummary } from '@web/api/discovery';
import { formatDateTime } from '@web/registry/format';

interface Props {
  scans: ScanSummary[];
  currentId: string | null;
  onOpen: (id: string) => void;
}

export function RecentScans({ scans, currentId, onOpen }: Props) {
  const { t } = useTranslation();
  return (
    <section className="recent-scans" aria-labelledby="recent-scans-title">
      <h2 id="recent-scans-title">{t('discovery.recent.title')}</h2>
      <div className="table-wrap" tabIndex={0}>
        <table className="grid" data-testid="scan-list">
          <thead>
            <tr>
              <th scope="col">{t('discovery.recent.started')}</th>
              <th scope="col">{t('discovery.scan.method')}</th>
              <th scope="col">{t('discovery.scan.range')}</th>
              <th scope="col">{t('discovery.col.state')}</th>
              <th scope="col">{t('discovery.recent.addresses')}</th>
              <th scope="col">{t('discovery.recent.devices')}</th>
              <th scope="col">{t('discovery.recent.credentials')}</th>
              <th scope="col" className="col-actions" />
            </tr>
          </thead>
          <tbody>
            {scans.map((s) => (
              <tr key={s.id} data-testid="scan-row" data-scan-id={s.id} data-status={s.status} className={s.id === currentId ? 'current' : undefined}>
                <td className="cell-time">
                  <time dateTime={s.startedAt}>{formatDateTime(s.startedAt)}</time>
                </td>
                <td>{t(`discovery.method.${s.method}`)}</td>
                <td className="mono">{s.range ?? '—'}</td>
                <td>
                  <span className={`badge scan-${s.status}`} title={s.error ?? undefined}>
                    {t(`discovery.status.${s.status}`)}
                  </span>
                </td>
                <td>{s.addressesTotal > 0 ? `${s.addressesDone}/${s.addressesTotal}` : '—'}</td>
                <td>{s.deviceCount}</td>
                <td>{s.withCredentials ? t('discovery.recent.withCredentials') : t('discovery.recent.withoutCredentials')}</td>
                <td className="col-actions">
                  <button type="button" className="btn btn-sm" data-testid="scan-open" onClick={() => onOpen(s.id)} disabled={s.id === currentId}>
                    {t('discovery.recent.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {scans.length === 0 && <div className="empty">{t('discovery.recent.empty')}</div>}
      </div>
    </section>
  );
}
