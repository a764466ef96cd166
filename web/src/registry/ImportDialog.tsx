/**
 * Bulk import: pick a CSV/JSON file, import all-or-nothing; on 422 show the per-row report and
 * offer importing only the valid rows (partial=true).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importCameras } from '@web/api/cameras';
import { isApiError } from '@web/api/problem';
import type { ImportReport, ImportRowError } from '@web/api/types';
import { Dialog } from '@web/ui/Dialog';
import { describeError, type ErrorNotice } from '@web/ui/errors';
import { detectFormat, stripBom } from './importFormat';

interface Props {
  open: boolean;
  onClose: () => void;
  onImported: (report: ImportReport) => void;
}

type Outcome = { kind: 'rejected'; errors: ImportRowError[] } | { kind: 'done'; report: ImportReport };

export function ImportDialog({ open, onClose, onImported }: Props) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<ErrorNotice | null>(null);

  const close = () => {
    setFile(null);
    setOutcome(null);
    setError(null);
    onClose();
  };

  async function submit(partial: boolean) {
    if (!file) {
      setError({ heading: t('import.noFile') });
      return;
    }
    setBusy(true);
    setError(null);
    let text: string;
    try {
      text = stripBom(await file.text());
    } catch {
      setError({ heading: t('import.readFailed') });
      setBusy(false);
      return;
    }
    try {
      const report = await importCameras(text, detectFormat(file.name, text), partial);
      setOutcome({ kind: 'done', report });
      onImported(report);
    } catch (e) {
      if (isApiError(e) && e.status === 422 && e.fieldErrors.length) {
        setOutcome({ kind: 'rejected', errors: e.fieldErrors.map((f) => ({ row: f.row ?? 0, field: f.field, message: f.message })) });
      } else {
        setError(describeError(e, t));
      }
    } finally {
      setBusy(false);
    }
  }

  const rows = outcome?.kind === 'rejected' ? outcome.errors : outcome?.kind === 'done' ? outcome.report.errors : [];

  return (
    <Dialog
      open={open}
      title={t('import.title')}
      onClose={close}
      testId="import-dialog"
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            {t('common.close')}
          </button>
          {outcome?.kind === 'rejected' && (
            <button type="button" className="btn" data-testid="import-partial" disabled={busy} onClick={() => void submit(true)}>
              {t('import.partial')}
            </button>
          )}
          {outcome?.kind !== 'done' && (
            <button type="button" className="btn btn-primary" data-testid="import-submit" disabled={busy || !file} onClick={() => void submit(false)}>
              {busy ? t('import.submitting') : t('import.submit')}
            </button>
          )}
        </>
      }
    >
      <label className="field field-wide">
        <span className="field-label">{t('import.file')}</span>
        <input
          type="file"
          accept=".csv,.json,text/csv,application/json"
          data-testid="import-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setOutcome(null);
            setError(null);
          }}
        />
      </label>
      <p className="field-hint import-hint">{t('import.hint')}</p>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="import-error">
          <strong>{error.heading}</strong>
          {error.detail && <span>{error.detail}</span>}
        </div>
      )}
      {outcome && (
        <div className="import-report" data-testid="import-report" data-outcome={outcome.kind}>
          {outcome.kind === 'rejected' ? (
            <div className="banner banner-error" role="alert">
              <strong>{t('import.rejected')}</strong>
            </div>
          ) : (
            <div className={`banner ${outcome.report.failed ? 'banner-warn' : 'banner-ok'}`} role="status">
              <strong data-testid="import-summary" data-created={outcome.report.created} data-failed={outcome.report.failed}>
                {t('import.done', { created: outcome.report.created, failed: outcome.report.failed })}
              </strong>
            </div>
          )}
          {rows.length > 0 && (
            <div className="table-wrap report-table">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">{t('import.row')}</th>
                    <th scope="col">{t('import.field')}</th>
                    <th scope="col">{t('import.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i} data-testid="import-error-row" data-row={r.row}>
                      <td>{r.row}</td>
                      <td>
                        <code>{r.field}</code>
                      </td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}
