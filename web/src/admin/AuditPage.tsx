/**
 * The audit log (administrators): newest first, filtered by actor, action (exact, or a prefix
 * ending in ".") and time, 50 a page with "more"; the hash-chain check (GET /audit/verify) on top,
 * naming the first broken entry when the chain does not hold. "Export CSV" / "NDJSON" download every
 * entry matching the applied filters (GET /audit/export.csv|.ndjson, streamed and audited).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { auditExportUrl, listAudit, verifyAudit, type AuditChainReport, type AuditEntry, type AuditFilter } from '@web/api/admin';
import { formatDateTime } from '@web/registry/format';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';

/** A datetime-local value (local time) -> ISO with offset, or undefined. Pure. */
export const localToIso = (v: string): string | undefined => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined);

export function AuditPage() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ actor: '', action: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilter>({});
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [chain, setChain] = useState<AuditChainReport | null>(null);
  const [banner, setBanner] = useState<BannerContent | null>(null);

  const load = useCallback(
    async (f: AuditFilter, after: string | null) => {
      try {
        const page = await listAudit(f, after);
        setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setBanner(null);
      } catch (e) {
        setBanner(describeError(e, t));
      }
    },
    [t],
  );
  useEffect(() => {
    void load(filter, null);
  }, [filter, load]);
  const verify = useCallback(async () => {
    setChain(null);
    try {
      setChain(await verifyAudit());
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [t]);
  useEffect(() => {
    void verify();
  }, [verify]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setItems(null);
    setFilter({ actor: form.actor.trim() || undefined, action: form.action.trim() || undefined, from: localToIso(form.from), to: localToIso(form.to) });
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((x) => ({ ...x, [k]: e.target.value }));

  return (
    <section className="panel" data-testid="admin-audit">
      <div className={chain ? (chain.ok ? 'banner banner-ok' : 'banner banner-error') : 'banner'} role="status" data-testid="audit-chain" data-ok={chain ? String(chain.ok) : undefined}>
        {chain === null ? (
          t('admin.audit.verifying')
        ) : chain.ok ? (
          <span>{t('admin.audit.chainOk', { n: chain.checked })}</span>
        ) : (
          <span>
            {t('admin.audit.chainBroken', { n: chain.checked })} {chain.firstBroken && `${chain.firstBroken.problem} · #${chain.firstBroken.seq} · ${chain.firstBroken.detail}`}
          </span>
        )}
        <button type="button" className="btn btn-sm btn-ghost" data-testid="audit-verify" onClick={() => void verify()}>
          {t('admin.audit.verify')}
        </button>
      </div>
      <form className="toolbar" onSubmit={apply} data-testid="audit-filter">
        <input aria-label={t('admin.audit.actor')} placeholder={t('admin.audit.actor')} data-testid="audit-actor" value={form.actor} onChange={set('actor')} />
        <input aria-label={t('admin.audit.action')} placeholder={t('admin.audit.actionHint')} data-testid="audit-action" value={form.action} onChange={set('action')} />
        <label>
          {t('admin.audit.from')} <input type="datetime-local" data-testid="audit-from" value={form.from} onChange={set('from')} />
        </label>
        <label>
          {t('admin.audit.to')} <input type="datetime-local" data-testid="audit-to" value={form.to} onChange={set('to')} />
        </label>
        <button type="submit" className="btn" data-testid="audit-apply">
          {t('admin.audit.apply')}
        </button>
        <a className="btn" href={auditExportUrl(filter, 'csv')} download data-testid="audit-export-csv" title={t('admin.audit.exportHint')}>
          {t('admin.audit.exportCsv')}
        </a>
        <a className="btn btn-ghost" href={auditExportUrl(filter, 'ndjson')} download data-testid="audit-export-ndjson" title={t('admin.audit.exportHint')}>
          {t('admin.audit.exportNdjson')}
        </a>
      </form>
      {banner && <ErrorBanner banner={banner} testId="audit-error" />}
      {items === null ? (
        <div className="empty">{t('common.loading')}</div>
      ) : items.length === 0 ? (
        <div className="empty" data-testid="audit-empty">
          {t('admin.audit.none')}
        </div>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('admin.audit.at')}</th>
                <th>{t('admin.audit.actor')}</th>
                <th>{t('admin.audit.action')}</th>
                <th>{t('admin.audit.target')}</th>
                <th>{t('admin.audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-testid="audit-row" data-action={a.action} data-target-id={a.targetId ?? ''}>
                  <td className="cell-time">{formatDateTime(a.at, true)}</td>
                  <td>
                    {a.actorName ?? '—'} {a.actorRole && <span className="role-tag">{t(`role.${a.actorRole}`, a.actorRole)}</span>}
                  </td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td>{a.targetType ? `${a.targetType} ${a.targetId ?? ''}` : '—'}</td>
                  <td className="audit-details">
                    <code>{JSON.stringify(a.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div className="list-foot">
          <button type="button" className="btn" data-testid="audit-more" onClick={() => void load(filter, cursor)}>
            {t('admin.audit.more')}
          </button>
        </div>
      )}
    </section>
  );
}
