/**
 * 设备发现 / Discovery: scan (admin/operator), watch progress and devices live, enroll one or
 * several devices, browse recent scans. Investigators see scans read-only; merchants not at all.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveredDeviceView } from '@common/discovery';
import { listScans, type ScanSummary } from '@web/api/discovery';
import { useUser } from '@web/auth/SessionContext';
import { sectionPath } from '@web/layout/routes';
import { useToasts } from '@web/ui/Toasts';
import { DeviceTable } from './DeviceTable';
import { EnrollDialog } from './EnrollDialog';
import { ProposalList } from './ProposalList';
import { discoveryAccess } from './permissions';
import { RecentScans } from './RecentScans';
import { ScanForm } from './ScanForm';
import { ScanProgress } from './ScanProgress';
import { canEnroll, isActive, pruneSelection, toggle } from './scanState';
import { useScan } from './useScan';

export function DiscoveryPage({ onNavigate }: { onNavigate: (path: string) => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const access = discoveryAccess(user.role);
  if (access === 'none') {
    return (
      <section className="page discovery" data-testid="discovery-page" data-access="none">
        <h1>{t('discovery.title')}</h1>
        <div className="banner banner-info" role="status">
          <span>{t('discovery.notAllowed')}</span>
        </div>
      </section>
    );
  }
  return <DiscoveryWorkspace operate={access === 'operate'} onNavigate={onNavigate} />;
}

function DiscoveryWorkspace({ operate, onNavigate }: { operate: boolean; onNavigate: (path: string) => void }) {
  const { t } = useTranslation();
  const toasts = useToasts();
  const onError = useCallback((e: unknown) => toasts.error(e), [toasts]);
  const scan = useScan(onError);
  const [scans, setScans] = useState<ScanSummary[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [enrolling, setEnrolling] = useState<DiscoveredDeviceView[] | null>(null);

  const { scan: current, devices } = scan.state;
  const phase = current?.phase;

  const reloadScans = useCallback(async () => {
    try {
      setScans((await listScans()).items);
    } catch (e) {
      onError(e);
    }
  }, [onError]);

  // The list refreshes when the page opens and whenever the watched scan starts or ends.
  useEffect(() => {
    if (phase !== 'starting') void reloadScans();
  }, [phase, current?.id, reloadScans]);

  useEffect(() => setSelected((s) => pruneSelection(s, devices)), [devices]);

  const chosen = devices.filter((d) => selected.has(d.id));
  return (
    <section className="page discovery" aria-labelledby="discovery-title" data-testid="discovery-page" data-access={operate ? 'operate' : 'view'}>
      <div className="page-head">
        <h1 id="discovery-title">{t('discovery.title')}</h1>
        {!operate && <span className="page-count">{t('discovery.readOnly')}</span>}
      </div>

      {operate && (
        <ScanForm
          busy={isActive(phase)}
          onStart={async (body) => {
            setSelected(new Set());
            await scan.start(body);
          }}
        />
      )}

      {current && <ScanProgress scan={current} />}

      {current && (
        <>
          {operate && (
            <div className="toolbar">
              <button type="button" className="btn" data-testid="enroll-bulk" disabled={chosen.length === 0} onClick={() => setEnrolling(chosen)}>
                {t('discovery.enroll.bulk', { count: chosen.length })}
              </button>
              <span className="muted">{t('discovery.enroll.bulkHint')}</span>
            </div>
          )}
          <DeviceTable
            devices={devices}
            operate={operate}
            selected={selected}
            onToggle={(id) => setSelected((s) => toggle(s, id))}
            onToggleAll={(on) => setSelected(on ? new Set(devices.filter(canEnroll).map((d) => d.id)) : new Set())}
            onEnroll={(d) => setEnrolling([d])}
          />
        </>
      )}

      <ProposalList operate={operate} refreshKey={`${current?.id ?? ''}:${phase ?? ''}`} onError={onError} />

      <RecentScans scans={scans} currentId={current?.id ?? null} onOpen={(id) => void scan.open(id)} />

      {enrolling && (
        <EnrollDialog
          devices={enrolling}
          onClose={() => setEnrolling(null)}
          onEnrolled={(r) => {
            scan.enrolled(r);
            toasts.show('success', t('discovery.enroll.doneAll', { count: r.enrolled.length }));
          }}
          onOpenCamera={() => {
            setEnrolling(null);
            onNavigate(sectionPath('cameras'));
          }}
        />
      )}
    </section>
  );
}
