/**
 * Sends a map selection to an incident (staff; merchants never see incidents and the server
 * answers them 404): pick an open incident the user may change (incidentTakesCameras), or create
 * one at the selection's centre (a circle's radius, or half a rectangle's diagonal, at most the
 * configured largest radius); each camera is then added by hand (POST /incidents/{id}/cameras:
 * audited, in the incident's history). Cameras already on the incident are counted, not added twice.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident, IncidentMeta, IncidentStatus } from '@common/incidents';
import { addIncidentCamera, getIncidentMeta, listIncidents } from '@web/api/incidents';
import type { Camera } from '@web/api/types';
import { useUser } from '@web/auth/SessionContext';
import { IncidentForm } from '@web/incidents/IncidentForm';
import { Dialog } from '@web/ui/Dialog';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { describeError } from '@web/ui/errors';
import { areaAsCircle, incidentTakesCameras, type MapArea } from './mapModel';

interface Props {
  cameras: Camera[];
  area: MapArea;
  onOpenIncident(id: string): void;
}

const OPEN: IncidentStatus[] = ['open', 'under_investigation'];

export function SendToIncident({ cameras, area, onOpenIncident }: Props) {
  const { t } = useTranslation();
  const user = useUser();
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [meta, setMeta] = useState<IncidentMeta | null>(null);
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [done, setDone] = useState<{ incident: Incident; added: number } | null>(null);

  useEffect(() => setDone(null), [cameras]);
  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    setIncidents(null);
    Promise.all(OPEN.map((status) => listIncidents({ status }, null, ctrl.signal)))
      .then((pages) => {
        const items = pages
          .flatMap((p) => p.items)
          .filter((i) => incidentTakesCameras(i, user))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        setIncidents(items);
        setChosen((c) => (items.some((i) => i.id === c) ? c : (items[0]?.id ?? '')));
      })
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        setIncidents([]);
        setBanner(describeError(e, t));
      });
    getIncidentMeta().then(setMeta, () => setMeta(null));
    return () => ctrl.abort();
  }, [open, user, t]);

  const send = async (incident: Incident) => {
    setBusy(true);
    setBanner(null);
    let added = 0;
    try {
      for (const c of cameras) if ((await addIncidentCamera(incident.id, c.id)).added) added++;
      setDone({ incident, added });
      setOpen(false);
    } catch (e) {
      const b = describeError(e, t);
      setBanner({ ...b, detail: [b.detail, t('map.incident.partial', { n: added })].filter(Boolean).join(' ') });
    } finally {
      setBusy(false);
    }
  };

  const circle = areaAsCircle(area);
  const prefill = {
    lat: circle.lat.toFixed(6),
    lon: circle.lon.toFixed(6),
    radius: String(meta ? Math.min(circle.radius, meta.maxRadius) : circle.radius),
  };
  const picked = incidents?.find((i) => i.id === chosen) ?? null;

  return (
    <>
      <button type="button" className="btn btn-sm" data-testid="map-selection-incident" disabled={cameras.length === 0} onClick={() => setOpen(true)}>
        {t('map.incident.send')}
      </button>
      {done && (
        <span className="map-selection-done" role="status" data-testid="map-incident-done" data-incident-id={done.incident.id} data-added={done.added}>
          {t('map.incident.done', { n: done.added, already: cameras.length - done.added, number: done.incident.number })}{' '}
          <button type="button" className="btn btn-sm btn-ghost" data-testid="map-incident-open" onClick={() => onOpenIncident(done.incident.id)}>
            {t('map.incident.open')}
          </button>
        </span>
      )}
      <Dialog
        open={open && !creating}
        title={t('map.incident.title', { n: cameras.length })}
        onClose={() => setOpen(false)}
        testId="map-incident-dialog"
        footer={
          <>
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn" data-testid="map-incident-new" disabled={busy} onClick={() => setCreating(true)}>
              {t('map.incident.create')}
            </button>
            <button type="button" className="btn btn-primary" data-testid="map-incident-add" disabled={busy || !picked} onClick={() => picked && void send(picked)}>
              {t('map.incident.add')}
            </button>
          </>
        }
      >
        {banner && <ErrorBanner banner={banner} testId="map-incident-error" />}
        {incidents === null ? (
          <div className="empty">{t('common.loading')}</div>
        ) : incidents.length === 0 ? (
          <div className="empty" data-testid="map-incident-none">
            {t('map.incident.none')}
          </div>
        ) : (
          <label className="map-incident-pick">
            {t('map.incident.pick')}{' '}
            <select data-testid="map-incident-pick" value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {incidents.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.number} · {i.title}
                </option>
              ))}
            </select>
          </label>
        )}
      </Dialog>
      {creating && (
        <IncidentForm
          open
          meta={meta}
          prefill={prefill}
          onClose={() => setCreating(false)}
          onCreated={(incident) => {
            setCreating(false);
            void send(incident);
          }}
        />
      )}
    </>
  );
}
