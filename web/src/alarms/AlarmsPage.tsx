/**
 * The alarm list: unacknowledged first (the server's order), newest first; each row says which
 * camera, why, since when, whether it is still going on, and who acknowledged it with what note.
 * Administrators and operators acknowledge with a note; others (merchants: their own cameras)
 * only see. The list follows useAlarms() (socket.io) and can show all alarms or only open ones.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alarm, AlarmState } from '@common/alarms';
import { listAlarms } from '@web/api/alarms';
import { useUser } from '@web/auth/SessionContext';
import { formatDateTime } from '@web/registry/format';
import { useToasts } from '@web/ui/Toasts';
import { AckDialog } from './AckDialog';
import { useAlarms } from './AlarmsProvider';

export function AlarmsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const toasts = useToasts();
  const { revision, sound, setSound } = useAlarms();
  const [state, setState] = useState<AlarmState>('all');
  const [items, setItems] = useState<Alarm[] | null>(null);
  const [acking, setAcking] = useState<Alarm | null>(null);
  const canAck = user.role === 'admin' || user.role === 'operator';

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setItems((await listAlarms(state, signal)).items);
      } catch (e) {
        if (!(e instanceof DOMException && e.name === 'AbortError')) toasts.error(e);
      }
    },
    [state, toasts],
  );

  useEffect(() => {
    const ac = new AbortController();
    void reload(ac.signal);
    return () => ac.abort();
  }, [reload, revision]);

  const open = items?.filter((a) => !a.acknowledgedAt).length ?? 0;
  return (
    <section className="page alarms" aria-labelledby="alarms-title">
      <div className="page-head">
        <h1 id="alarms-title">{t('alarms.title')}</h1>
        <span className="page-count" aria-live="polite" data-testid="alarm-open-count">
          {t('alarms.openCount', { count: open })}
        </span>
        <div className="page-actions">
          <div className="btn-group" role="group" aria-label={t('alarms.show')}>
            {(['all', 'open'] as const).map((s) => (
              <button key={s} type="button" className={state === s ? 'btn btn-sm btn-primary' : 'btn btn-sm'} aria-pressed={state === s} onClick={() => setState(s)} data-testid={`alarm-filter-${s}`}>
                {t(`alarms.state.${s}`)}
              </button>
            ))}
          </div>
          <label className="alarm-sound">
            <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} data-testid="alarm-sound" /> {t('alarms.sound')}
          </label>
        </div>
      </div>
      <div className="table-wrap" tabIndex={0}>
        {items === null ? (
          <div className="empty">{t('app.loading')}</div>
        ) : items.length === 0 ? (
          <div className="empty" data-testid="alarms-empty">
            {t('alarms.empty')}
          </div>
        ) : (
          <table className="grid" data-testid="alarm-table">
            <thead>
              <tr>
                <th scope="col">{t('alarms.col.camera')}</th>
                <th scope="col">{t('alarms.col.kind')}</th>
                <th scope="col">{t('alarms.col.raisedAt')}</th>
                <th scope="col">{t('alarms.col.since')}</th>
                <th scope="col">{t('alarms.col.state')}</th>
                <th scope="col">{t('alarms.col.ack')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} className={a.acknowledgedAt ? 'alarm-row acked' : 'alarm-row unacked'} data-testid="alarm-row" data-alarm-id={a.id} data-camera-id={a.cameraId} data-acknowledged={a.acknowledgedAt ? 'true' : 'false'}>
                  <td>{a.cameraName}</td>
                  <td>
                    <span className={`badge alarm-kind alarm-kind-${a.kind}`}>{t(`alarms.kind.${a.kind}`)}</span>
                  </td>
                  <td>{formatDateTime(a.raisedAt, true)}</td>
                  <td>{formatDateTime(a.since, true)}</td>
                  <td>{a.resolvedAt ? t('alarms.resolvedAt', { at: formatDateTime(a.resolvedAt, true) }) : <strong className="alarm-ongoing">{t('alarms.ongoing')}</strong>}</td>
                  <td>
                    {a.acknowledgedAt ? (
                      <span className="alarm-ack" data-testid="alarm-ack-info">
                        {t('alarms.ackedBy', { at: formatDateTime(a.acknowledgedAt, true), user: a.acknowledgedBy ?? '—' })}
                        {a.note && <span className="alarm-note">{a.note}</span>}
                      </span>
                    ) : canAck ? (
                      <button type="button" className="btn btn-sm btn-primary" data-testid="alarm-ack" onClick={() => setAcking(a)}>
                        {t('alarms.acknowledge')}
                      </button>
                    ) : (
                      <span className="muted">{t('alarms.notAcked')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <AckDialog alarm={acking} onClose={() => setAcking(null)} onDone={() => void reload()} />
    </section>
  );
}
