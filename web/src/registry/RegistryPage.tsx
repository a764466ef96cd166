/** The camera registry: toolbar, table, load-more, create/edit drawer, delete, enrollment, import, export. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deleteCamera, exportCsvUrl, setEnrollment, withdrawConsent } from '@web/api/cameras';
import type { Camera, CameraFilters } from '@web/api/types';
import { useUser } from '@web/auth/SessionContext';
import { MerchantEnrollDialog } from '@web/merchant/MerchantEnrollDialog';
import { ConfirmDialog } from '@web/ui/ConfirmDialog';
import { Dialog } from '@web/ui/Dialog';
import { useToasts } from '@web/ui/Toasts';
import { CameraForm } from './CameraForm';
import { CameraTable } from './CameraTable';
import { CameraPreview } from './CameraPreview';
import { TARGET_STATE, type EnrollmentAction } from './enrollment';
import type { FormMode } from './formModel';
import { ImportDialog } from './ImportDialog';
import { StatusHistoryDialog } from './StatusHistoryDialog';
import { can } from './permissions';
import { Toolbar } from './Toolbar';
import { useCameraList } from './useCameraList';
import { useOrg } from './useOrg';

type Pending = { kind: 'delete'; camera: Camera } | { kind: 'withdraw'; camera: Camera } | { kind: 'enroll'; camera: Camera; action: EnrollmentAction };

type T = ReturnType<typeof useTranslation>['t'];
/** The confirmation dialog's words for what is pending. */
function confirmText(t: T, p: Pending | null) {
  if (p?.kind === 'enroll') {
    return {
      title: t('enroll.title', { action: t(`enroll.${p.action}`), name: p.camera.name }),
      message: undefined,
      reasonLabel: p.action !== 'approve' ? t('enroll.reason') : undefined,
      confirmLabel: t(`enroll.${p.action}`),
      danger: p.action !== 'approve',
    };
  }
  if (p?.kind === 'withdraw') {
    return { title: t('registry.withdrawTitle'), message: t('registry.withdrawConfirm', { name: p.camera.name }), reasonLabel: t('registry.withdrawReason'), confirmLabel: t('registry.withdraw'), danger: true };
  }
  return { title: t('registry.deleteTitle'), message: p ? t('registry.deleteConfirm', { name: p.camera.name }) : undefined, reasonLabel: undefined, confirmLabel: t('common.delete'), danger: true };
}

export function RegistryPage() {
  const { t } = useTranslation();
  const user = useUser();
  const toasts = useToasts();
  const [filters, setFilters] = useState<CameraFilters>({});
  const onError = useCallback((e: unknown) => toasts.error(e), [toasts]);
  const org = useOrg(onError);
  const list = useCameraList(filters, onError);
  const [form, setForm] = useState<{ mode: FormMode; key: number } | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [merchantOpen, setMerchantOpen] = useState(false);
  const [historyOf, setHistoryOf] = useState<Camera | null>(null);

  const openForm = (mode: FormMode) => setForm({ mode, key: Date.now() });

  async function confirmPending(reason: string) {
    if (!pending) return;
    setBusy(true);
    const { camera } = pending;
    try {
      if (pending.kind === 'delete') {
        await deleteCamera(camera.id);
        list.remove(camera.id);
        toasts.show('success', t('registry.deleted', { name: camera.name }));
      } else if (pending.kind === 'withdraw') {
        await withdrawConsent(camera.id, reason || undefined);
        list.remove(camera.id);
        toasts.show('success', t('registry.withdrawn', { name: camera.name }));
      } else {
        const state = TARGET_STATE[pending.action];
        list.upsert(await setEnrollment(camera.id, state, reason || undefined));
        toasts.show('success', t('registry.enrollmentDone', { name: camera.name, state: t(`enrollment.${state}`) }));
      }
      setPending(null);
    } catch (e) {
      toasts.error(e);
    } finally {
      setBusy(false);
    }
  }

  const { state } = list;
  return (
    <section className="page registry" aria-labelledby="registry-title">
      <div className="page-head">
        <h1 id="registry-title">{t('registry.title')}</h1>
        <span className="page-count" data-testid="camera-count" aria-live="polite">
          {t('registry.count', { count: state.items.length })}
          {state.nextCursor ? t('registry.more') : ''}
        </span>
        <div className="page-actions">
          {can(user.role, 'export') && (
            <a className="btn" href={exportCsvUrl(filters)} download data-testid="export-csv">
              {t('registry.export')}
            </a>
          )}
          {can(user.role, 'import') && (
            <button type="button" className="btn" data-testid="import-open" onClick={() => setImportOpen(true)}>
              {t('registry.import')}
            </button>
          )}
          {user.role === 'merchant' && (
            <button type="button" className="btn btn-primary" data-testid="merchant-enroll-open" onClick={() => setMerchantOpen(true)}>
              + {t('merchantEnroll.open')}
            </button>
          )}
          {can(user.role, 'create') && (
            <button type="button" className="btn btn-primary" data-testid="camera-new" onClick={() => openForm({ kind: 'create' })}>
              + {t('registry.new')}
            </button>
          )}
        </div>
      </div>

      <Toolbar filters={filters} onChange={setFilters} org={org} />

      {state.stale && (
        <div className="banner banner-info" role="status" data-testid="list-stale">
          <span>{t('registry.stale')}</span>
          <button type="button" className="btn btn-sm" onClick={() => void list.reload()}>
            {t('common.refresh')}
          </button>
        </div>
      )}

      <CameraTable
        items={state.items}
        role={user.role}
        org={org}
        loaded={state.loaded}
        onEdit={(c) => openForm({ kind: 'edit', camera: c })}
        onDelete={(c) => setPending({ kind: 'delete', camera: c })}
        onEnroll={(c, action) => setPending({ kind: 'enroll', camera: c, action })}
        onWithdraw={(c) => setPending({ kind: 'withdraw', camera: c })}
        onHistory={setHistoryOf}
      />

      <div className="list-foot">
        {state.loading && <span role="status">{t('common.loading')}</span>}
        {!state.loading && state.nextCursor && (
          <button type="button" className="btn" data-testid="load-more" onClick={list.loadMore}>
            {t('common.loadMore')}
          </button>
        )}
      </div>

      <Dialog open={form !== null} variant="drawer" title={form?.mode.kind === 'edit' ? t('form.editTitle') : t('form.newTitle')} onClose={() => setForm(null)} testId="camera-drawer">
        {form && (
          <CameraForm
            key={form.key}
            initial={form.mode}
            role={user.role}
            org={org}
            onCancel={() => setForm(null)}
            onSaved={(camera, created) => {
              list.upsert(camera);
              setForm(null);
              toasts.show('success', t(created ? 'registry.created' : 'registry.saved', { name: camera.name }));
            }}
          />
        )}
      </Dialog>

      <StatusHistoryDialog camera={historyOf} onClose={() => setHistoryOf(null)} />

      <ImportDialog
        open={importOpen}
        onClose={() => setImportOpen(false)}
        onImported={(report) => {
          if (report.created > 0) void list.reload();
        }}
      />

      <MerchantEnrollDialog open={merchantOpen} onClose={() => setMerchantOpen(false)} onEnrolled={() => void list.reload()} />

      <ConfirmDialog
        open={pending !== null}
        busy={busy}
        {...confirmText(t, pending)}
        onConfirm={(reason) => void confirmPending(reason)}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'enroll' && pending.camera.enrollmentState === 'pending' && pending.camera.rtspUrl && <CameraPreview cameraId={pending.camera.id} />}
      </ConfirmDialog>
    </section>
  );
}
