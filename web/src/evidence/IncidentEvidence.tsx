/**
 * The incident's evidence items (newest version of each): camera, time range, SHA-256, legal-hold
 * state, a download for clip items, and each item's chain of custody (who viewed, downloaded,
 * exported it, from where, with which request id) on demand.
 */
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentCameraList } from '@common/incidents';
import { evidenceDownloadUrl, getEvidence, type CustodyEntry, type EvidenceItem } from '@web/api/evidence';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { formatBytes, formatSecond, holdState, shortHash } from './evidenceModel';

interface Props {
  items: EvidenceItem[] | null;
  cameras: IncidentCameraList | null;
}

export function IncidentEvidence({ items, cameras }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [custody, setCustody] = useState<CustodyEntry[]>([]);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const name = (id: string) => cameras?.items.find((c) => c.cameraId === id)?.name ?? id.slice(0, 8);

  const toggle = async (id: string) => {
    if (open === id) return setOpen(null);
    try {
      setCustody((await getEvidence(id)).custody);
      setOpen(id);
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    }
  };
  const hold = (i: EvidenceItem) => {
    const s = holdState(i, Date.now());
    return t(`evidence.hold.${s}`, { when: i.holdExpiresAt ? formatSecond(i.holdExpiresAt) : '' });
  };

  return (
    <section className="panel incident-evidence" data-testid="incident-evidence">
      <h2>{t('evidence.title')}</h2>
      {banner && <ErrorBanner banner={banner} testId="evidence-error" />}
      {!items && <div className="empty">{t('common.loading')}</div>}
      {items?.length === 0 && <div className="empty">{t('evidence.none')}</div>}
      {!!items?.length && (
        <div className="evidence-scroll">
          <table className="grid evidence-table">
            <thead>
              <tr>
                <th>{t('evidence.item')}</th>
                <th>{t('clips.camera')}</th>
                <th>{t('evidence.range')}</th>
                <th>SHA-256</th>
                <th>{t('evidence.holdTitle')}</th>
                <th>{t('custody.action')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <Fragment key={i.id}>
                  <tr data-testid="evidence-item" data-item-id={i.id} data-clip-id={i.clipId ?? ''} data-hold={holdState(i, Date.now())}>
                    <td>
                      {t(`evidence.kind.${i.kind}`)} · v{i.version}
                      {i.partial && <span className="tag tag-warn">{t('clips.partial')}</span>}
                      {i.note && <div className="muted">{i.note}</div>}
                    </td>
                    <td>{name(i.cameraId)}</td>
                    <td className="cell-time">
                      {formatSecond(i.from)} – {formatSecond(i.to)}
                      {i.bytes !== null && <div className="muted">{formatBytes(i.bytes)}</div>}
                    </td>
                    <td className="hash" title={i.sha256} data-testid="evidence-sha256">{i.sha256}</td>
                    <td data-testid="evidence-hold">{hold(i)}</td>
                    <td className="row-actions">
                      {i.kind === 'clip' && (
                        <a className="btn btn-sm" href={evidenceDownloadUrl(i.id)} download>
                          {t('clips.download')}
                        </a>
                      )}
                      <button type="button" className="btn btn-sm" data-testid="evidence-custody-toggle" onClick={() => void toggle(i.id)}>
                        {open === i.id ? t('evidence.custodyHide') : t('evidence.custody')}
                      </button>
                    </td>
                  </tr>
                  {open === i.id && (
                    <tr>
                      <td colSpan={6}>
                        <CustodyTable entries={custody} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CustodyTable({ entries }: { entries: CustodyEntry[] }) {
  const { t } = useTranslation();
  return (
    <table className="grid custody-table" data-testid="custody-log">
      <thead>
        <tr>
          <th>{t('custody.at')}</th>
          <th>{t('custody.who')}</th>
          <th>{t('custody.action')}</th>
          <th>SHA-256</th>
          <th>{t('custody.address')}</th>
          <th>{t('custody.requestId')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((c) => (
          <tr key={c.id} data-testid="custody-entry" data-action={c.action}>
            <td className="cell-time">{formatSecond(c.at)}</td>
            <td>{c.userName ?? '—'}</td>
            <td>
              {t(`custody.actions.${c.action}`)} · {t(`custody.kind.${c.itemKind}`)}
            </td>
            <td className="hash" title={c.sha256 ?? ''}>{shortHash(c.sha256)}</td>
            <td>{c.address ?? '—'}</td>
            <td className="muted hash">{c.requestId ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
