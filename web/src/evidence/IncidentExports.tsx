/**
 * Signed export packages of the incident's evidence: create one, follow it (queued, building, done
 * or failed with the reason), download it (through the API: a custody entry), and a link to the
 * page that verifies an uploaded package.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createExport, exportDownloadUrl, listExports, type EvidenceExport } from '@web/api/evidence';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { exportEnded, formatBytes, formatSecond, VERIFY_PATH } from './evidenceModel';

interface Props {
  incidentId: string;
  /** Evidence items there are to export. */
  itemCount: number;
  onNavigate(path: string): void;
}

export function IncidentExports({ incidentId, itemCount, onNavigate }: Props) {
  const { t } = useTranslation();
  const [exports, setExports] = useState<EvidenceExport[] | null>(null);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setExports((await listExports(incidentId)).items);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [incidentId, t]);
  useEffect(() => void load(), [load]);
  // Packages are built in the background; poll while one is.
  const building = exports?.some((x) => !exportEnded(x)) ?? false;
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(() => void load(), 1000);
    return () => clearInterval(timer);
  }, [building, load]);

  const create = async () => {
    setBusy(true);
    try {
      await createExport(incidentId);
      await load();
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel incident-exports" data-testid="incident-exports">
      <h2>{t('exports.title')}</h2>
      {banner && <ErrorBanner banner={banner} testId="exports-error" />}
      <div className="clip-form">
        <button type="button" className="btn btn-primary btn-sm" data-testid="export-create" disabled={busy || itemCount === 0} onClick={() => void create()}>
          {t('exports.create')}
        </button>
        <button type="button" className="btn btn-sm btn-ghost" data-testid="verify-link" onClick={() => onNavigate(VERIFY_PATH)}>
          {t('verify.title')}
        </button>
        {itemCount === 0 && <span className="muted">{t('exports.needItems')}</span>}
      </div>
      <ul className="clip-list">
        {exports?.map((x) => (
          <li key={x.id} className="clip-item" data-testid="export" data-export-id={x.id} data-status={x.status}>
            <div className="coverage-head">
              <strong>{formatSecond(x.createdAt)}</strong>
              <span className={`badge clip-${x.status}`}>{t(`exports.status.${x.status}`)}</span>
              {!exportEnded(x) && <progress aria-label={t(`exports.status.${x.status}`)} data-testid="export-progress" />}
              {x.items !== null && <span className="muted">{t('exports.items', { count: x.items })}</span>}
              {x.bytes !== null && <span className="muted">{formatBytes(x.bytes)}</span>}
              <span className="clip-actions">
                {x.status === 'done' && (
                  <a className="btn btn-sm" data-testid="export-download" href={exportDownloadUrl(x.id)} download>
                    {t('clips.download')}
                  </a>
                )}
              </span>
            </div>
            {x.sha256 && (
              <dl className="facts clip-facts">
                <dt>SHA-256</dt>
                <dd className="hash" data-testid="export-sha256">{x.sha256}</dd>
                <dt>{t('exports.manifest')}</dt>
                <dd className="hash">{x.manifestSha256}</dd>
              </dl>
            )}
            {x.waiting && (
              <div className="muted" data-testid="export-waiting">
                {t('exports.waiting')} {x.waiting}
              </div>
            )}
            {x.error && <div className="field-error">{x.error}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
