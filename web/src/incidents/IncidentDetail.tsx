/**
 * One incident: its facts, status and assigned investigators (editable), the cameras that may have
 * seen it, several of them on one timeline played in sync (timeline/), clips cut from them, the evidence with its chain of custody, signed exports, and its history.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATUSES, type FootageRequest, type Incident, type IncidentCameraList, type IncidentHistoryEntry, type IncidentPerson, type IncidentStatus } from '@common/incidents';
import { incidentFootageRequests } from '@web/api/footage';
import { useFootageEvents } from '@web/realtime/RealtimeProvider';
import { getIncident, incidentCameras, incidentHistory, listInvestigators, setAssignees, updateIncident } from '@web/api/incidents';
import { useUser } from '@web/auth/SessionContext';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import type { Clip } from '@web/api/clips';
import { attachEvidence, listEvidence, type EvidenceItem } from '@web/api/evidence';
import { attachedClipIds } from '@web/evidence/evidenceModel';
import { IncidentClips } from '@web/evidence/IncidentClips';
import { IncidentEvidence } from '@web/evidence/IncidentEvidence';
import { IncidentExports } from '@web/evidence/IncidentExports';
import { IncidentCameras } from './IncidentCameras';
import { IncidentTimeline } from './timeline/IncidentTimeline';
import { IncidentMap } from '@web/map/IncidentMap';
import { categoryKey, describeChanges, formatWhen, INCIDENTS_PATH } from './incidentModel';

interface Props {
  incidentId: string;
  onNavigate(path: string): void;
}

export function IncidentDetail({ incidentId, onNavigate }: Props) {
  const { t } = useTranslation();
  const user = useUser();
  const [incident, setIncident] = useState<Incident | null>(null);
  const [cameras, setCameras] = useState<IncidentCameraList | null>(null);
  const [history, setHistory] = useState<IncidentHistoryEntry[]>([]);
  const [people, setPeople] = useState<IncidentPerson[]>([]);
  const [requests, setRequests] = useState<FootageRequest[]>([]);
  const [status, setStatus] = useState<IncidentStatus>('open');
  const [assigned, setAssigned] = useState<string[]>([]);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [evidence, setEvidence] = useState<EvidenceItem[] | null>(null);
  const [clipsCut, setClipsCut] = useState(0);
  const canEdit = !!incident && (user.role === 'admin' || user.role === 'investigator' || incident.createdBy?.id === user.id);

  const show = (i: Incident) => {
    setIncident(i);
    setStatus(i.status);
    setAssigned(i.assignees.map((a) => a.id));
  };
  const loadAll = useCallback(async () => {
    try {
      show(await getIncident(incidentId));
      const [c, h, f] = await Promise.all([incidentCameras(incidentId), incidentHistory(incidentId), incidentFootageRequests(incidentId)]);
      setCameras(c);
      setHistory(h.items);
      setRequests(f.items);
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [incidentId, t]);

  // Each listing is a custody 'view' per item: read on open and after a change, not on every event.
  const loadEvidence = useCallback(async () => {
    try {
      setEvidence((await listEvidence(incidentId)).items);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  }, [incidentId, t]);
  const attach = async (clip: Clip) => {
    await attachEvidence(incidentId, { kind: 'clip', clipId: clip.id });
    await loadEvidence();
  };

  useFootageEvents(() => void loadAll());
  useEffect(() => void loadEvidence(), [loadEvidence]);
  useEffect(() => {
    void loadAll();
    listInvestigators().then((r) => setPeople(r.items), () => setPeople([]));
  }, [loadAll]);

  const save = async (fn: () => Promise<Incident>) => {
    try {
      show(await fn());
      setHistory((await incidentHistory(incidentId)).items);
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  };

  const category = (c: string) => {
    const key = categoryKey(c);
    return key ? t(key) : c;
  };
  const roster = [...people, ...(incident?.assignees.filter((a) => !people.some((p) => p.id === a.id)) ?? [])];

  return (
    <section className="page incident-detail" data-testid="incident-detail" data-incident-id={incidentId}>
      <header className="page-head">
        <button type="button" className="btn btn-sm" onClick={() => onNavigate(INCIDENTS_PATH)}>
          {t('incidents.back')}
        </button>
        <h1 data-testid="incident-heading">{incident ? `${incident.number} · ${incident.title}` : t('common.loading')}</h1>
        {incident && <span className={`badge incident-${incident.status}`}>{t(`incidents.status.${incident.status}`)}</span>}
      </header>
      {banner && <ErrorBanner banner={banner} testId="incident-error" />}
      {incident && (
        <div className="incident-grid">
          <section className="panel">
            <dl className="facts">
              <dt>{t('incidents.field.category')}</dt>
              <dd>{category(incident.category)}</dd>
              <dt>{t('incidents.field.window')}</dt>
              <dd data-testid="incident-window">
                {formatWhen(incident.from)} – {formatWhen(incident.to)}
              </dd>
              <dt>{t('incidents.field.location')}</dt>
              <dd>
                {incident.location.address ? `${incident.location.address} · ` : ''}
                {incident.location.lat.toFixed(5)}, {incident.location.lon.toFixed(5)} · {t('incidents.field.radius')} {incident.radius} m
              </dd>
              <dt>{t('incidents.field.station')}</dt>
              <dd>{incident.station?.name ?? '—'}</dd>
              <dt>{t('incidents.field.createdBy')}</dt>
              <dd>{incident.createdBy ? incident.createdBy.displayName || incident.createdBy.username : '—'}</dd>
              {incident.description && (
                <>
                  <dt>{t('incidents.field.description')}</dt>
                  <dd className="pre">{incident.description}</dd>
                </>
              )}
            </dl>
            {canEdit && (
              <div className="incident-edit">
                <label>
                  {t('incidents.field.status')}{' '}
                  <select value={status} data-testid="incident-status" onChange={(e) => setStatus(e.target.value as IncidentStatus)}>
                    {INCIDENT_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`incidents.status.${s}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" className="btn btn-sm" data-testid="incident-status-save" disabled={status === incident.status} onClick={() => void save(() => updateIncident(incident.id, { status, version: incident.version }))}>
                  {t('common.save')}
                </button>
                <fieldset className="assignees" data-testid="incident-assignees">
                  <legend>{t('incidents.field.assignees')}</legend>
                  {roster.map((p) => (
                    <label key={p.id} className="check">
                      <input type="checkbox" checked={assigned.includes(p.id)} onChange={(e) => setAssigned((a) => (e.target.checked ? [...a, p.id] : a.filter((x) => x !== p.id)))} />{' '}
                      {p.displayName || p.username}
                    </label>
                  ))}
                  <button type="button" className="btn btn-sm" data-testid="incident-assignees-save" onClick={() => void save(() => setAssignees(incident.id, assigned))}>
                    {t('incidents.assign')}
                  </button>
                </fieldset>
              </div>
            )}
            {!canEdit && <p className="muted">{t('incidents.field.assignees')}: {incident.assignees.map((a) => a.displayName || a.username).join(', ') || '—'}</p>}
          </section>
          <IncidentMap location={incident.location} radius={incident.radius} from={incident.from} onNavigate={onNavigate} />
          <IncidentCameras
            incidentId={incident.id}
            list={cameras}
            canEdit={canEdit}
            requests={requests}
            onNavigate={onNavigate}
            onChanged={() => void loadAll()}
          />
          {cameras && <IncidentTimeline incidentId={incident.id} list={cameras} canEdit={canEdit} onCut={() => setClipsCut((n) => n + 1)} />}
          <IncidentClips incidentId={incident.id} cameras={cameras} canEdit={canEdit} attached={attachedClipIds(evidence ?? [])} onAttach={attach} reload={clipsCut} />
          <IncidentEvidence items={evidence} cameras={cameras} />
          <IncidentExports incidentId={incident.id} itemCount={evidence?.length ?? 0} onNavigate={onNavigate} />
          <section className="panel incident-history" data-testid="incident-history">
            <h2>{t('incidents.history')}</h2>
            <ol>
              {history.map((h) => (
                <li key={h.id}>
                  <span className="cell-time">{formatWhen(h.at)}</span> <strong>{h.actor.name ?? '—'}</strong> {t(`incidents.action.${h.action.replace('.', '_')}`, { defaultValue: h.action })}{' '}
                  <span className="muted">{describeChanges(h.changes)}</span>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </section>
  );
}
