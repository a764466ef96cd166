/**
 * Clips of an incident: pick cameras from "cameras that may have seen it" and a window, request one
 * clip per camera in one call, follow each job live (socket.io clip:progress), cancel, download
 * (through the API, HTTP Range), and add a finished clip to the evidence. A partial clip lists what
 * was not recorded; each clip states its actual start and end and its SHA-256.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentCameraList } from '@common/incidents';
import { cancelClip, clipDownloadUrl, getClip, listClips, requestClips, type Clip } from '@web/api/clips';
import { useClipEvents } from '@web/realtime/RealtimeProvider';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { applyClipEvent, clipEnded, clipFormErrors, clipRequestOf, formatBytes, formatSecond, toLocalSeconds, upsertClip, type ClipForm } from './evidenceModel';

interface Props {
  incidentId: string;
  cameras: IncidentCameraList | null;
  canEdit: boolean;
  /** Clips already in the evidence. */
  attached: Set<string>;
  onAttach(clip: Clip): Promise<void>;
  /** Changes when clips were requested elsewhere on the page (the multi-camera timeline): read the list again. */
  reload?: number;
}

export function IncidentClips({ incidentId, cameras, canEdit, attached, onAttach, reload = 0 }: Props) {
  const { t } = useTranslation();
  const [clips, setClips] = useState<Clip[]>([]);
  const [form, setForm] = useState<ClipForm>({ cameraIds: [], from: '', to: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof ClipForm, string>>>({});
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);
  const name = (id: string) => cameras?.items.find((c) => c.cameraId === id)?.name ?? id.slice(0, 8);

  const load = useCallback(async () => {
    try {
      setClips((await listClips(incidentId)).items);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [incidentId, t]);
  useEffect(() => void load(), [load, reload]);
  // The window starts as the incident's.
  useEffect(() => {
    if (cameras) setForm((f) => (f.from ? f : { ...f, from: toLocalSeconds(Date.parse(cameras.from)), to: toLocalSeconds(Date.parse(cameras.to)) }));
  }, [cameras]);

  const refresh = (id: string) => getClip(id).then((c) => setClips((cs) => upsertClip(cs, c)), () => undefined);
  useClipEvents((e) => {
    if (!e) return void load();
    if (e.incidentId !== incidentId) return;
    // Whether to read the clip again is judged on this render's list; the update itself on the newest.
    if (applyClipEvent(clips, e).fetch) void refresh(e.clipId);
    setClips((cs) => applyClipEvent(cs, e).clips);
  });
  // Progress comes over socket.io; a slow poll covers a socket that is down.
  const active = clips.some((c) => !clipEnded(c));
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [active, load]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  const submit = () => {
    const errs = clipFormErrors(form);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    void act(async () => {
      const { ids } = await requestClips(incidentId, clipRequestOf(form));
      const made = await Promise.all(ids.map((id) => getClip(id)));
      setClips((cs) => made.reduce(upsertClip, cs));
    });
  };
  const toggle = (id: string, on: boolean) => setForm((f) => ({ ...f, cameraIds: on ? [...f.cameraIds, id] : f.cameraIds.filter((x) => x !== id) }));

  return (
    <section className="panel incident-clips" data-testid="incident-clips">
      <h2>{t('clips.title')}</h2>
      {banner && <ErrorBanner banner={banner} testId="clips-error" />}
      {canEdit && cameras && (
        <div className="clip-form" data-testid="clip-form">
          <fieldset className="assignees">
            <legend>{t('clips.cameras')}</legend>
            {cameras.items.map((c) => (
              <label key={c.cameraId} className="check">
                <input type="checkbox" data-testid="clip-camera" data-camera-id={c.cameraId} checked={form.cameraIds.includes(c.cameraId)} onChange={(e) => toggle(c.cameraId, e.target.checked)} /> {c.name}
              </label>
            ))}
            {errors.cameraIds && <span className="field-error">{t(errors.cameraIds)}</span>}
          </fieldset>
          <label>
            {t('incidents.field.from')}{' '}
            <input type="datetime-local" step="1" data-testid="clip-from" value={form.from} onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))} />
            {errors.from && <span className="field-error">{t(errors.from)}</span>}
          </label>
          <label>
            {t('incidents.field.to')}{' '}
            <input type="datetime-local" step="1" data-testid="clip-to" value={form.to} onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))} />
            {errors.to && <span className="field-error">{t(errors.to)}</span>}
          </label>
          <button type="button" className="btn btn-primary btn-sm" data-testid="clip-request" disabled={busy} onClick={submit}>
            {t('clips.request', { count: form.cameraIds.length })}
          </button>
        </div>
      )}
      {clips.length === 0 && <div className="empty">{t('clips.none')}</div>}
      <ul className="clip-list">
        {[...clips].reverse().map((c) => (
          <li key={c.id} className="clip-item" data-testid="clip" data-clip-id={c.id} data-camera-id={c.cameraId} data-status={c.status}>
            <div className="coverage-head">
              <strong>{name(c.cameraId)}</strong>
              <span className={`badge clip-${c.status}`} data-testid="clip-status">{t(`clips.status.${c.status}`)}</span>
              {!clipEnded(c) && <progress max={1} value={c.progress} aria-label={t(`clips.status.${c.status}`)} data-testid="clip-progress" />}
              {c.partial && <span className="tag tag-warn" data-testid="clip-partial">{t('clips.partial')}</span>}
              {attached.has(c.id) && <span className="tag">{t('clips.attached')}</span>}
              <span className="clip-actions">
                {!clipEnded(c) && canEdit && (
                  <button type="button" className="btn btn-sm" data-testid="clip-cancel" disabled={busy} onClick={() => void act(async () => {
                      const x = await cancelClip(c.id);
                      setClips((cs) => upsertClip(cs, x));
                    })}
                  >
                    {t('clips.cancel')}
                  </button>
                )}
                {c.status === 'done' && (
                  <a className="btn btn-sm" data-testid="clip-download" href={clipDownloadUrl(c.id)} download>
                    {t('clips.download')}
                  </a>
                )}
                {c.status === 'done' && canEdit && !attached.has(c.id) && (
                  <button type="button" className="btn btn-sm" data-testid="clip-attach" disabled={busy} onClick={() => void act(() => onAttach(c))}>
                    {t('clips.attach')}
                  </button>
                )}
              </span>
            </div>
            <dl className="facts clip-facts">
              <dt>{t('clips.requested')}</dt>
              <dd>{formatSecond(c.requestedFrom)} – {formatSecond(c.requestedTo)}</dd>
              {c.actualFrom && (
                <>
                  <dt>{t('clips.actual')}</dt>
                  <dd data-testid="clip-actual">{formatSecond(c.actualFrom)} – {formatSecond(c.actualTo)}</dd>
                </>
              )}
              {c.gaps.length > 0 && (
                <>
                  <dt>{t('clips.gaps')}</dt>
                  <dd data-testid="clip-gaps">{c.gaps.map((g) => `${formatSecond(g.from)} – ${formatSecond(g.to)}`).join('; ')}</dd>
                </>
              )}
              {c.sha256 && (
                <>
                  <dt>SHA-256</dt>
                  <dd className="hash" title={c.sha256} data-testid="clip-sha256">{c.sha256}</dd>
                  <dt>{t('clips.size')}</dt>
                  <dd>{formatBytes(c.bytes)}</dd>
                </>
              )}
              {c.error && (
                <>
                  <dt>{t('clips.error')}</dt>
                  <dd>{c.error}</dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
