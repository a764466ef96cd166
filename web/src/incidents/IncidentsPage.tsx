/** Incidents (警情): the list the caller may see, filters, and the new-incident dialog (also at /incidents/new?lat=&lon=). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATUSES, type Incident, type IncidentMeta, type IncidentStatus } from '@common/incidents';
import { getIncidentMeta, listIncidents, type IncidentFilters } from '@web/api/incidents';
import { useUser } from '@web/auth/SessionContext';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { describeError } from '@web/ui/errors';
import { VERIFY_PATH } from '@web/evidence/evidenceModel';
import { IncidentForm } from './IncidentForm';
import { categoryKey, formatWhen, incidentPath, INCIDENTS_PATH, type IncidentForm as Form } from './incidentModel';

interface Props {
  onNavigate(path: string): void;
  /** Open the new-incident dialog with these values (from /incidents/new). */
  prefill: Partial<Form> | null;
}

export function IncidentsPage({ onNavigate, prefill }: Props) {
  const { t } = useTranslation();
  const user = useUser();
  const [filters, setFilters] = useState<IncidentFilters>({});
  const [items, setItems] = useState<Incident[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [meta, setMeta] = useState<IncidentMeta | null>(null);
  const [creating, setCreating] = useState(prefill !== null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    getIncidentMeta().then(setMeta, () => setMeta(null));
  }, []);

  const load = useCallback(
    async (more: string | null, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const page = await listIncidents(filters, more, signal);
        setItems((prev) => (more ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setBanner(null);
      } catch (e) {
        if (!(e instanceof DOMException)) setBanner(describeError(e, t));
      } finally {
        setLoading(false);
      }
    },
    [filters, t],
  );

  useEffect(() => {
    const ac = new AbortController();
    void load(null, ac.signal);
    return () => ac.abort();
  }, [load]);

  const label = (c: string) => {
    const key = categoryKey(c);
    return key ? t(key) : c;
  };

  return (
    <section className="page incidents" data-testid="incidents-page">
      <header className="page-head">
        <h1>{t('nav.incidents')}</h1>
        {user.role !== 'merchant' && (
          <button type="button" className="btn btn-primary" data-testid="incident-new" onClick={() => setCreating(true)}>
            {t('incidents.new')}
          </button>
        )}
        {user.role !== 'merchant' && (
          <button type="button" className="btn" data-testid="verify-open" onClick={() => onNavigate(VERIFY_PATH)}>
            {t('verify.title')}
          </button>
        )}
      </header>
      <div className="toolbar">
        <input className="search" type="search" placeholder={t('incidents.search')} data-testid="incident-search" onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value }))} />
        <select aria-label={t('incidents.field.status')} data-testid="incident-filter-status" value={filters.status ?? ''} onChange={(e) => setFilters((f) => ({ ...f, status: (e.target.value || undefined) as IncidentStatus | undefined }))}>
          <option value="">{t('incidents.allStatuses')}</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`incidents.status.${s}`)}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={filters.assigned === 'me'} onChange={(e) => setFilters((f) => ({ ...f, assigned: e.target.checked ? 'me' : undefined }))} /> {t('incidents.mine')}
        </label>
      </div>
      {banner && <ErrorBanner banner={banner} testId="incidents-error" />}
      <div className="table-wrap" tabIndex={0}>
        <table className="grid" data-testid="incident-table">
          <thead>
            <tr>
              <th>{t('incidents.field.number')}</th>
              <th>{t('incidents.field.title')}</th>
              <th>{t('incidents.field.category')}</th>
              <th>{t('incidents.field.status')}</th>
              <th>{t('incidents.field.window')}</th>
              <th>{t('incidents.field.station')}</th>
              <th>{t('incidents.field.assignees')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="incident-row" data-incident-id={i.id}>
                <td>
                  <a
                    href={incidentPath(i.id)}
                    data-testid="incident-link"
                    onClick={(e) => {
                      e.preventDefault();
                      onNavigate(incidentPath(i.id));
                    }}
                  >
                    {i.number}
                  </a>
                </td>
                <td className="cell-name">{i.title}</td>
                <td>{label(i.category)}</td>
                <td>
                  <span className={`badge incident-${i.status}`}>{t(`incidents.status.${i.status}`)}</span>
                </td>
                <td className="cell-time">
                  {formatWhen(i.from)} – {formatWhen(i.to)}
                </td>
                <td>{i.station?.name ?? '—'}</td>
                <td>{i.assignees.map((a) => a.displayName || a.username).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && items.length === 0 && <div className="empty">{t('incidents.empty')}</div>}
        {cursor && (
          <div className="list-foot">
            <button type="button" className="btn btn-sm" onClick={() => void load(cursor)}>
              {t('incidents.more')}
            </button>
          </div>
        )}
      </div>
      {creating && (
        <IncidentForm
          open
          meta={meta}
          prefill={prefill ?? {}}
          onClose={() => {
            setCreating(false);
            if (prefill) onNavigate(INCIDENTS_PATH);
          }}
          onCreated={(i) => onNavigate(incidentPath(i.id))}
        />
      )}
    </section>
  );
}
