/**
 * Users (administrators): list with role, station and state; create; change role or station;
 * disable / enable (the server ends a disabled user's sessions at once); reset a password.
 * Every change sends the version read (409 when someone else changed the user meanwhile).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '@common/domain';
import { listUsers, setUserStation, updateUser, type ManagedUser, type UserChange } from '@web/api/admin';
import { useUser } from '@web/auth/SessionContext';
import { useOrg } from '@web/registry/useOrg';
import { formatDateTime } from '@web/registry/format';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { NewUserForm } from './NewUserForm';

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const me = useUser();
  const [users, setUsers] = useState<ManagedUser[] | null>(null);
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const fail = useCallback((e: unknown) => setBanner(describeError(e, t)), [t]);
  const org = useOrg(fail);
  const stationName = (id: string | null) => {
    const s = org.station(id);
    return s ? (i18n.language.startsWith('zh') ? s.name : s.nameEn || s.name) : t('admin.users.county');
  };

  const reload = useCallback(async () => {
    try {
      setUsers((await listUsers()).items);
    } catch (e) {
      fail(e);
    }
  }, [fail]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setBanner(null);
    } catch (e) {
      fail(e);
    }
    await reload();
  };
  const change = (u: ManagedUser, c: UserChange) => act(() => updateUser(u.id, { ...c, version: u.version }));

  return (
    <section className="panel" data-testid="admin-users">
      {banner && <ErrorBanner banner={banner} testId="admin-users-error" />}
      <NewUserForm stations={org.org.stations} stationName={stationName} onCreated={() => void reload()} />
      {users === null ? (
        <div className="empty">{t('common.loading')}</div>
      ) : (
        <div className="table-wrap" tabIndex={0}>
        <table className="grid" data-testid="user-table">
          <thead>
            <tr>
              <th>{t('admin.users.username')}</th>
              <th>{t('admin.users.displayName')}</th>
              <th>{t('admin.users.role')}</th>
              <th>{t('admin.users.station')}</th>
              <th>{t('admin.users.state')}</th>
              <th>{t('admin.users.updatedAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="user-row" data-username={u.username} data-disabled={u.disabled}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>
                  <select aria-label={t('admin.users.role')} data-testid="user-role" value={u.role} onChange={(e) => void change(u, { role: e.target.value as Role })}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select aria-label={t('admin.users.station')} data-testid="user-station" value={u.stationId ?? ''} onChange={(e) => void act(() => setUserStation(u.id, e.target.value || null))}>
                    <option value="">{t('admin.users.county')}</option>
                    {org.org.stations.map((s) => (
                      <option key={s.id} value={s.id}>
                        {stationName(s.id)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span className={u.disabled ? 'badge status-disabled' : 'badge status-live'} data-testid="user-state">
                    {u.disabled ? t('admin.users.disabled') : t('admin.users.enabled')}
                  </span>
                </td>
                <td>{formatDateTime(u.updatedAt)}</td>
                <td className="col-actions">
                  {u.id !== me.id && (
                    <button type="button" className={u.disabled ? 'btn btn-sm' : 'btn btn-sm btn-danger-ghost'} data-testid={u.disabled ? 'user-enable' : 'user-disable'} onClick={() => void change(u, { disabled: !u.disabled })}>
                      {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                    </button>
                  )}
                  {resetting === u.id ? (
                    <form
                      className="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void change(u, { password }).then(() => setResetting(null));
                      }}
                    >
                      <input type="password" autoComplete="new-password" aria-label={t('admin.users.newPassword')} data-testid="user-new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
                      <button type="submit" className="btn btn-sm btn-primary" data-testid="user-password-save">
                        {t('admin.users.save')}
                      </button>
                    </form>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-sm btn-ghost"
                      data-testid="user-reset-password"
                      onClick={() => {
                        setPassword('');
                        setResetting(u.id);
                      }}
                    >
                      {t('admin.users.resetPassword')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}
