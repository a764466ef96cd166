/**
 * Open re-discovery proposals: which camera, what differs (old -> new), identity-clash and
 * other-host warnings; operators apply or dismiss, others only see them.
 */
import { useCallback, useEffect, useReducer } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveryProposalView } from '@common/discovery';
import { applyProposal, dismissProposal, listProposals } from '@web/api/discovery';
import { formatDateTime } from '@web/registry/format';
import { applyRequest, initialProposals, proposalRow, proposalsReducer } from './proposals';

interface Props {
  operate: boolean;
  /** Changes when the list should be read again (e.g. a scan ended). */
  refreshKey: string;
  onError: (e: unknown) => void;
}

export function ProposalList({ operate, refreshKey, onError }: Props) {
  const { t } = useTranslation();
  const [state, dispatch] = useReducer(proposalsReducer, initialProposals);

  const reload = useCallback(async () => {
    try {
      dispatch({ type: 'loaded', items: (await listProposals('open')).items });
    } catch (e) {
      onError(e);
    }
  }, [onError]);

  useEffect(() => void reload(), [reload, refreshKey]);

  const decide = async (p: DiscoveryProposalView, how: 'apply' | 'dismiss') => {
    let body = applyRequest(p, false);
    if (how === 'apply' && body === null) {
      if (!window.confirm(t('discovery.proposals.confirmForeign'))) return;
      body = applyRequest(p, true);
    }
    dispatch({ type: 'busy', id: p.id });
    try {
      dispatch({ type: 'decided', proposal: how === 'apply' ? await applyProposal(p.id, body ?? {}) : await dismissProposal(p.id) });
    } catch (e) {
      dispatch({ type: 'failed', id: p.id });
      onError(e);
      void reload();
    }
  };

  return (
    <section className="proposals" aria-labelledby="proposals-title">
      <h2 id="proposals-title">{t('discovery.proposals.title')}</h2>
      <div className="table-wrap" tabIndex={0}>
        <table className="grid" data-testid="proposal-list">
          <thead>
            <tr>
              <th scope="col">{t('discovery.proposals.camera')}</th>
              <th scope="col">{t('discovery.proposals.changes')}</th>
              <th scope="col">{t('discovery.proposals.found')}</th>
              <th scope="col" className="col-actions" />
            </tr>
          </thead>
          <tbody>
            {state.items.map((p) => {
              const row = proposalRow(p);
              const busy = state.busy.has(p.id);
              return (
                <tr key={p.id} data-testid="proposal-row" data-proposal-id={p.id} data-kind={p.kind}>
                  <td>
                    <span className="mono" title={p.cameraId}>
                      {p.cameraId.slice(0, 8)}
                    </span>{' '}
                    <span className="mono muted">{p.address}</span>
                    {row.identityClash && (
                      <span className="flag flag-warn" data-testid="proposal-clash" title={t('discovery.proposals.clashHint')}>
                        {t('discovery.proposals.clash')}
                      </span>
                    )}
                    {row.foreignHost && <span className="flag flag-warn">{t('discovery.proposals.foreignHost')}</span>}
                  </td>
                  <td>
                    <ul className="proposal-changes">
                      {row.changes.map((c) => (
                        <li key={c.field} data-change={c.field}>
                          {t(c.key)}: <span className="mono">{c.from ?? '—'}</span> → <span className="mono">{c.to ?? '—'}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="cell-time">
                    <time dateTime={p.createdAt}>{formatDateTime(p.createdAt)}</time>
                  </td>
                  <td className="col-actions">
                    {operate && (
                      <>
                        <button type="button" className="btn btn-sm" data-testid="proposal-apply" disabled={busy} onClick={() => void decide(p, 'apply')}>
                          {t('discovery.proposals.apply')}
                        </button>
                        <button type="button" className="btn btn-sm" data-testid="proposal-dismiss" disabled={busy} onClick={() => void decide(p, 'dismiss')}>
                          {t('discovery.proposals.dismiss')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {state.items.length === 0 && <div className="empty">{t('discovery.proposals.empty')}</div>}
      </div>
    </section>
  );
}
