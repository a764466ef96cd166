/** The dense registry table; row actions depend on the role. */
import { useTranslation } from 'react-i18next';
import type { Role } from '@common/domain';
import type { Camera } from '@web/api/types';
import { localName } from '@web/i18n/language';
import { navigate } from '@web/layout/useLocation';
import { playbackPath } from '@web/playback/timelineModel';
import { newIncidentPath } from '@web/incidents/incidentModel';
import { EnrollmentBadge, StatusBadge } from './Badges';
import { enrollmentActions, type EnrollmentAction } from './enrollment';
import { formatDateTime } from './format';
import { can } from './permissions';
import type { OrgIndex } from './useOrg';

interface Props {
  items: Camera[];
  role: Role;
  org: OrgIndex;
  loaded: boolean;
  onEdit: (c: Camera) => void;
  onDelete: (c: Camera) => void;
  onEnroll: (c: Camera, action: EnrollmentAction) => void;
  onWithdraw: (c: Camera) => void;
  onHistory: (c: Camera) => void;
}

export function CameraTable({ items, role, org, loaded, onEdit, onDelete, onEnroll, onWithdraw, onHistory }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const showActions = can(role, 'edit') || can(role, 'delete') || can(role, 'enroll') || can(role, 'withdraw');

  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="grid" data-testid="camera-table" aria-busy={!loaded}>
        <thead>
          <tr>
            <th scope="col">{t('registry.col.name')}</th>
            <th scope="col">{t('registry.col.kind')}</th>
            <th scope="col">{t('registry.col.status')}</th>
            <th scope="col">{t('registry.col.enrollment')}</th>
            <th scope="col">{t('registry.col.station')}</th>
            <th scope="col">{t('registry.col.address')}</th>
            <th scope="col">{t('registry.col.tags')}</th>
            <th scope="col">{t('registry.col.updated')}</th>
            {showActions && <th scope="col" className="col-actions">{t('registry.col.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-testid="camera-row" data-camera-id={c.id} data-version={c.version}>
              <td className="cell-name" data-testid="camera-name">
                {c.name}{' '}
                <button type="button" className="btn btn-sm" data-testid="camera-playback" title={t('playback.open')} onClick={() => navigate(playbackPath(c.id, Date.now() - 3_600_000))}>
                  {t('playback.open')}
                </button>
                {role !== 'merchant' && (
                  <button type="button" className="btn btn-sm" data-testid="camera-new-incident" title={t('incidents.here')} onClick={() => navigate(newIncidentPath(c.location))}>
                    {t('incidents.here')}
                  </button>
                )}
              </td>
              <td>
                <span className={`kind kind-${c.kind}`}>{t(`kind.${c.kind}`)}</span>
              </td>
              <td>
                <button type="button" className="badge-button" data-testid="camera-status-history" title={t('history.open')} onClick={() => onHistory(c)}>
                  <StatusBadge status={c.status} cause={c.statusCause} />
                </button>
              </td>
              <td>
                <EnrollmentBadge state={c.enrollmentState} />
              </td>
              <td>{localName(org.station(c.stationId), lang)}</td>
              <td className="cell-address" title={c.location.address ?? undefined}>
                {c.location.address}
              </td>
              <td>
                {c.tags.map((tag) => (
                  <span key={tag} className="tag" title={tag}>
                    {tag}
                  </span>
                ))}
              </td>
              <td className="cell-time">
                <time dateTime={c.updatedAt}>{formatDateTime(c.updatedAt)}</time>
              </td>
              {showActions && (
                <td className="col-actions">
                  {can(role, 'enroll') &&
                    enrollmentActions(c.enrollmentState).map((a) => (
                      <button key={a} type="button" className={`btn btn-sm btn-${a}`} data-testid={`camera-${a}`} onClick={() => onEnroll(c, a)}>
                        {t(`enroll.${a}`)}
                      </button>
                    ))}
                  {can(role, 'edit') && (
                    <button type="button" className="btn btn-sm" data-testid="camera-edit" onClick={() => onEdit(c)}>
                      {t('common.edit')}
                    </button>
                  )}
                  {can(role, 'delete') && (
                    <button type="button" className="btn btn-sm btn-danger-ghost" data-testid="camera-delete" onClick={() => onDelete(c)}>
                      {t('common.delete')}
                    </button>
                  )}
                  {can(role, 'withdraw') && (
                    <button type="button" className="btn btn-sm btn-danger-ghost" data-testid="camera-withdraw" onClick={() => onWithdraw(c)}>
                      {t('registry.withdraw')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {loaded && items.length === 0 && (
        <div className="empty" data-testid="camera-empty">
          {t('registry.empty')}
        </div>
      )}
    </div>
  );
}
