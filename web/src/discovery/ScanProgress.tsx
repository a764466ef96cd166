/** The watched scan: status, addresses probed of total, devices found. */
import { useTranslation } from 'react-i18next';
import { progressRatio, type ScanView } from './scanState';

export function ScanProgress({ scan }: { scan: ScanView }) {
  const { t } = useTranslation();
  const ratio = progressRatio(scan);
  return (
    <div className="scan-progress panel" data-testid="scan-progress" data-scan-id={scan.id ?? undefined} aria-live="polite">
      <span className={`badge scan-${scan.phase}`} data-testid="scan-status" data-status={scan.phase}>
        {t(`discovery.status.${scan.phase}`)}
      </span>
      <span className="scan-what">
        {t(`discovery.method.${scan.method}`)}
        {scan.range ? ` · ${scan.range}` : ''}
      </span>
      {scan.addressesTotal > 0 && (
        <span data-testid="scan-addresses">{t('discovery.progress.addresses', { done: scan.addressesDone, total: scan.addressesTotal })}</span>
      )}
      <span data-testid="scan-device-count">{t('discovery.progress.devices', { count: scan.deviceCount })}</span>
      <progress max={1} value={ratio ?? undefined} aria-label={t('discovery.progress.label')} />
      {scan.error && (
        <span className="scan-error-text" role="alert">
          {t('discovery.progress.failed', { error: scan.error })}
        </span>
      )}
    </div>
  );
}
