/**
 * Verify an evidence package (/incidents/verify): upload an export zip; the server checks the
 * Ed25519 signature against this deployment's key, every file's SHA-256 and size, and that nothing
 * is missing or added, and names each problem with its item and file.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { verifyPackage, type PackageReport } from '@web/api/evidence';
import { INCIDENTS_PATH, incidentPath } from '@web/incidents/incidentModel';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';

export function VerifyPackagePage({ onNavigate }: { onNavigate(path: string): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<PackageReport | null>(null);
  const [checked, setChecked] = useState('');
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    if (!file) return;
    setBusy(true);
    setReport(null);
    try {
      setReport(await verifyPackage(file));
      setChecked(file.name);
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page verify-page" data-testid="verify-page">
      <header className="page-head">
        <button type="button" className="btn btn-sm" onClick={() => onNavigate(INCIDENTS_PATH)}>
          {t('incidents.back')}
        </button>
        <h1>{t('verify.title')}</h1>
      </header>
      <section className="panel">
        <p className="muted">{t('verify.hint')}</p>
        <div className="clip-form">
          <input type="file" accept=".zip,application/zip" aria-label={t('verify.file')} data-testid="verify-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <button type="button" className="btn btn-primary btn-sm" data-testid="verify-submit" disabled={!file || busy} onClick={() => void verify()}>
            {busy ? t('verify.checking') : t('verify.submit')}
          </button>
        </div>
        {banner && <ErrorBanner banner={banner} testId="verify-error" />}
        {report && (
          <div className={`verify-result ${report.ok ? 'verify-ok' : 'verify-bad'}`} data-testid="verify-result" data-ok={String(report.ok)}>
            <h2>{report.ok ? t('verify.valid') : t('verify.invalid')}</h2>
            <dl className="facts">
              <dt>{t('verify.file')}</dt>
              <dd>{checked}</dd>
              <dt>{t('verify.signature')}</dt>
              <dd data-testid="verify-signature">{t(`verify.sig.${report.signature}`)}{report.keyId ? ` · ${t('verify.keyId')} ${report.keyId}` : ''}</dd>
              <dt>{t('verify.incident')}</dt>
              <dd>
                {report.incident ? (
                  <button type="button" className="btn btn-sm btn-ghost" onClick={() => onNavigate(incidentPath(report.incident!.id))}>
                    {report.incident.number}
                  </button>
                ) : (
                  '—'
                )}
              </dd>
              <dt>{t('verify.contents')}</dt>
              <dd>{t('verify.counts', { items: report.items, files: report.files })}</dd>
            </dl>
            {report.problems.length > 0 && (
              <table className="grid" data-testid="verify-problems">
                <thead>
                  <tr>
                    <th>{t('evidence.item')}</th>
                    <th>{t('verify.file')}</th>
                    <th>{t('verify.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((p, i) => (
                    <tr key={i}>
                      <td className="hash">{p.item ?? '—'}</td>
                      <td>{p.file ?? '—'}</td>
                      <td>{p.problem}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </section>
    </section>
  );
}
