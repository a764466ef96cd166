/** Search box (debounced), filter selects and the page actions. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CAMERA_KINDS, CAMERA_STATUSES, ENROLLMENT_STATES } from '@common/domain';
import type { CameraFilters } from '@web/api/types';
import { localName } from '@web/i18n/language';
import type { OrgIndex } from './useOrg';

interface Props {
  filters: CameraFilters;
  onChange: (f: CameraFilters) => void;
  org: OrgIndex;
}

export function Toolbar({ filters, onChange, org }: Props) {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState(filters.q ?? '');

  useEffect(() => {
    if ((filters.q ?? '') === q.trim()) return;
    const timer = window.setTimeout(() => onChange({ ...filters, q: q.trim() }), 300);
    return () => window.clearTimeout(timer);
  }, [q, filters, onChange]);

  const set = (k: keyof CameraFilters) => (e: { target: { value: string } }) => onChange({ ...filters, [k]: e.target.value });
  const active = Object.values(filters).some((v) => v);

  return (
    <div className="toolbar" role="search">
      <input
        type="search"
        className="search"
        data-testid="search-q"
        aria-label={t('registry.searchLabel')}
        placeholder={t('registry.search')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange({ ...filters, q: q.trim() });
        }}
      />
      <select data-testid="filter-kind" aria-label={t('registry.filter.kind')} value={filters.kind ?? ''} onChange={set('kind')}>
        <option value="">{t('registry.filter.kind')}: {t('common.all')}</option>
        {CAMERA_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`kind.${k}`)}
          </option>
        ))}
      </select>
      <select data-testid="filter-status" aria-label={t('registry.filter.status')} value={filters.status ?? ''} onChange={set('status')}>
        <option value="">{t('registry.filter.status')}: {t('common.all')}</option>
        {CAMERA_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      <select data-testid="filter-enrollment" aria-label={t('registry.filter.enrollment')} value={filters.enrollment ?? ''} onChange={set('enrollment')}>
        <option value="">{t('registry.filter.enrollment')}: {t('common.all')}</option>
        {ENROLLMENT_STATES.map((s) => (
          <option key={s} value={s}>
            {t(`enrollment.${s}`)}
          </option>
        ))}
      </select>
      <select data-testid="filter-station" aria-label={t('registry.filter.station')} value={filters.stationId ?? ''} onChange={set('stationId')}>
        <option value="">{t('registry.filter.station')}: {t('common.all')}</option>
        {org.org.stations.map((s) => (
          <option key={s.id} value={s.id}>
            {localName(s, i18n.language)}
          </option>
        ))}
      </select>
      <select data-testid="filter-zone" aria-label={t('registry.filter.zone')} value={filters.zoneId ?? ''} onChange={set('zoneId')}>
        <option value="">{t('registry.filter.zone')}: {t('common.all')}</option>
        {org.org.patrolZones.map((z) => (
          <option key={z.id} value={z.id}>
            {localName(z, i18n.language)}
          </option>
        ))}
      </select>
      {active && (
        <button
          type="button"
          className="btn btn-link"
          data-testid="filter-clear"
          onClick={() => {
            setQ('');
            onChange({});
          }}
        >
          {t('registry.filter.clear')}
        </button>
      )}
    </div>
  );
}
