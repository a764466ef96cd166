/**
 * Administration (administrators only): users, the audit log, system health, one tab each at
 * /admin/users, /admin/audit, /admin/health. Others get a refusal (the API answers 403 as well).
 */
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '@web/auth/SessionContext';
import { AuditPage } from './AuditPage';
import { HealthPage } from './HealthPage';
import { UsersPage } from './UsersPage';

export const ADMIN_TABS = ['users', 'audit', 'health'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** '/admin', '/admin/audit' -> the tab (users by default). Pure. */
export function adminTabOf(path: string): AdminTab {
  const second = path.split('/').filter(Boolean)[1] ?? '';
  return (ADMIN_TABS as readonly string[]).includes(second) ? (second as AdminTab) : 'users';
}

export function AdminPage({ path, onNavigate }: { path: string; onNavigate(path: string): void }) {
  const { t } = useTranslation();
  const user = useUser();
  if (user.role !== 'admin') {
    return (
      <div className="banner banner-error" role="alert" data-testid="admin-forbidden">
        <strong>{t('error.forbidden')}</strong>
        <span>{t('admin.adminsOnly')}</span>
      </div>
    );
  }
  const tab = adminTabOf(path);
  const go = (to: AdminTab) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    onNavigate(`/admin/${to}`);
  };
  return (
    <div className="admin-page" data-testid="admin-page">
      <div className="page-head">
        <h1>{t('nav.admin')}</h1>
        <nav className="admin-tabs" aria-label={t('nav.admin')}>
          {ADMIN_TABS.map((x) => (
            <a key={x} href={`/admin/${x}`} className={x === tab ? 'tab active' : 'tab'} aria-current={x === tab ? 'page' : undefined} data-testid={`admin-tab-${x}`} onClick={go(x)}>
              {t(`admin.tab.${x}`)}
            </a>
          ))}
        </nav>
      </div>
      {tab === 'users' ? <UsersPage /> : tab === 'audit' ? <AuditPage /> : <HealthPage />}
    </div>
  );
}
