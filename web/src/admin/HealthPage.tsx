/**
 * System health (administrators): database and storage checks, ingest workers with the cameras
 * they hold and their heartbeat, the fleet by status, the upload and alarm-webhook backlogs, and
 * the data directory's disk. Refreshed every 10 s while open.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getHealth, type Health } from '@web/api/admin';
import { formatDateTime } from '@web/registry/format';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';

const REFRESH_MS = 10_000;

/** Bytes as GB/MB, one decimal. Pure. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} KB`;
}

export function HealthPage() {
  const { t } = useTranslation();
  const [health, setHealth] = useState<Health | null>(null);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const load = useCallback(async () => {
    try {
      setHealth(await getHealth());
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [t]);
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  if (!health) return banner ? <ErrorBanner banner={banner} testId="health-error" /> : <div className="empty">{t('common.loading')}</div>;
  const byStatus = new Map<string, number>();
  for (const c of health.cameras ?? []) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + c.n);
  return (
    <div className="health" data-testid="admin-health">
      {banner && <ErrorBanner banner={banner} testId="health-error" />}
      <section className="panel">
        <h2>{t('admin.health.checks')}</h2>
        <ul className="health-checks">
          {health.checks.map((c) => (
            <li key={c.name} data-testid="health-check" data-name={c.name} data-ok={c.ok}>
              <span className={c.ok ? 'badge status-live' : 'badge status-auth_failed'}>{c.ok ? t('admin.health.ok') : t('admin.health.failed')}</span> {t(`admin.health.part.${c.name}`, c.name)}
              {c.error && <span className="muted"> — {c.error}</span>}
            </li>
          ))}
          {health.errors.map((e) => (
            <li key={e.part} data-testid="health-part-error">
              <span className="badge status-auth_failed">{t('admin.health.failed')}</span> {t(`admin.health.part.${e.part}`, e.part)} <span className="muted">— {e.error}</span>
            </li>
          ))}
        </ul>
        <p className="muted">{t('admin.health.at', { at: formatDateTime(health.at, true) })}</p>
      </section>
      <section className="panel" data-testid="health-workers">
        <h2>{t('admin.health.workers', { n: health.workers?.length ?? 0 })}</h2>
        {health.workers?.length === 0 && <div className="empty">{t('admin.health.noWorkers')}</div>}
        {health.workers?.map((w) => (
          <div key={w.workerId} className="health-worker" data-testid="health-worker" data-worker-id={w.workerId} data-cameras={w.cameras.length}>
            <strong>{w.workerId}</strong>{' '}
            <span className="muted">{t('admin.health.workerInfo', { n: w.cameras.length, age: (w.heartbeatAgeMs / 1000).toFixed(1), since: formatDateTime(w.startedAt) })}</span>
            <ul className="health-cameras">
              {w.cameras.map((c) => (
                <li key={c.id}>
                  <span className={`badge status-${c.status}`}>{t(`status.${c.status}`, c.status)}</span> {c.name}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      <section className="panel">
        <h2>{t('admin.health.storage')}</h2>
        <dl className="health-facts">
          <dt>{t('admin.health.uploadBacklog')}</dt>
          <dd data-testid="health-upload-backlog">
            {health.uploadBacklog
              ? t('admin.health.backlog', { n: health.uploadBacklog.segments, size: formatBytes(health.uploadBacklog.bytes), oldest: health.uploadBacklog.oldest ? formatDateTime(health.uploadBacklog.oldest) : '—' })
              : '—'}
          </dd>
          <dt>{t('admin.health.webhookBacklog')}</dt>
          <dd data-testid="health-webhook-backlog">{health.alarmWebhookBacklog ?? '—'}</dd>
          <dt>{t('admin.health.disk')}</dt>
          <dd data-testid="health-disk">
            {health.disk ? t('admin.health.diskInfo', { free: formatBytes(health.disk.freeBytes), total: formatBytes(health.disk.totalBytes), min: formatBytes(health.disk.minFreeBytes), path: health.disk.path }) : '—'}
          </dd>
          <dt>{t('admin.health.cameras')}</dt>
          <dd data-testid="health-cameras">
            {byStatus.size === 0 && '—'}
            {[...byStatus.entries()].map(([s, n]) => (
              <span key={s} className={`badge status-${s}`}>
                {t(`status.${s}`, s)} {n}
              </span>
            ))}
          </dd>
        </dl>
      </section>
    </div>
  );
}
