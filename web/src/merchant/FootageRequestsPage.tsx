/**
 * The merchant portal's footage requests (调取申请): police requests for a range of the owner's
 * camera recordings, to approve or decline (refreshed on the socket.io notification), and each of
 * the owner's cameras' sharing mode. Owners never see which incident a request is for.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SHARING_MODES, type FootageRequest, type SharingMode } from '@common/incidents';
import { listCameras } from '@web/api/cameras';
import { decideFootage, footageInbox, getSharing, setSharing } from '@web/api/footage';
import { useFootageEvents } from '@web/realtime/RealtimeProvider';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';

const when = (iso: string) => new Date(iso).toLocaleString([], { hour12: false });

export function FootageRequestsPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<FootageRequest[]>([]);
  const [cameras, setCameras] = useState<Array<{ id: string; name: string; mode: SharingMode | null }>>([]);
  const [banner, setBanner] = useState<BannerContent | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await footageInbox()).items);
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [t]);
  useEffect(() => void load(), [load]);
  useFootageEvents(() => void load());

  useEffect(() => {
    void (async () => {
      const own = (await listCameras({})).items.filter((c) => c.kind !== 'road');
      setCameras(await Promise.all(own.map(async (c) => ({ id: c.id, name: c.name, mode: (await getSharing(c.id).catch(() => null))?.mode ?? null }))));
    })().catch(() => setCameras([]));
  }, []);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await load();
    } catch (e) {
      setBanner(describeError(e, t));
    }
  };

  return (
    <section className="page footage-requests" data-testid="footage-requests-page">
      <header className="page-head">
        <h1>{t('footage.title')}</h1>
      </header>
      {banner && <ErrorBanner banner={banner} testId="footage-error" />}
      <div className="table-wrap" tabIndex={0}>
        <table className="grid" data-testid="footage-table">
          <thead>
            <tr>
              <th>{t('footage.camera')}</th>
              <th>{t('footage.range')}</th>
              <th>{t('footage.reason')}</th>
              <th>{t('footage.requestedBy')}</th>
              <th>{t('footage.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-testid="footage-row" data-request-id={r.id} data-status={r.status}>
                <td className="cell-name">{r.cameraName}</td>
                <td className="cell-time">
                  {when(r.from)} – {when(r.to)}
                </td>
                <td>{r.reason || '—'}</td>
                <td>{r.requestedBy ?? '—'}</td>
                <td>{t(`footage.state.${r.status}`)}</td>
                <td className="col-actions">
                  {r.status === 'pending' && (
                    <>
                      <button type="button" className="btn btn-sm btn-approve" data-testid="footage-approve" onClick={() => void act(() => decideFootage(r.id, 'approve'))}>
                        {t('footage.approve')}
                      </button>
                      <button type="button" className="btn btn-sm btn-reject" data-testid="footage-decline" onClick={() => void act(() => decideFootage(r.id, 'decline'))}>
                        {t('footage.decline')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 && <div className="empty">{t('footage.empty')}</div>}
      </div>
      {cameras.length > 0 && (
        <section className="panel sharing-panel">
          <h2>{t('footage.sharing')}</h2>
          <p className="muted">{t('footage.sharingHint')}</p>
          {cameras.map((c) => (
            <label key={c.id} className="sharing-row">
              <span className="cell-name">{c.name}</span>
              <select
                value={c.mode ?? 'on_request'}
                data-testid="sharing-mode"
                onChange={(e) => {
                  const mode = e.target.value as SharingMode;
                  void act(async () => {
                    await setSharing(c.id, mode);
                    setCameras((cs) => cs.map((x) => (x.id === c.id ? { ...x, mode } : x)));
                  });
                }}
              >
                {SHARING_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`footage.mode.${m}`)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </section>
      )}
    </section>
  );
}
