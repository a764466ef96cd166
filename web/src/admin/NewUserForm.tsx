/** Create a user (administrators): user name, display name, initial password, role, station. Field errors from the server appear at their field. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '@common/domain';
import { createUser, setUserStation } from '@web/api/admin';
import { isApiError } from '@web/api/problem';
import type { OrgUnit } from '@web/api/types';
import { describeError } from '@web/ui/errors';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { Field } from '@web/ui/Field';

interface Props {
  stations: OrgUnit[];
  stationName(id: string | null): string;
  onCreated(): void;
}

const EMPTY = { username: '', displayName: '', password: '', role: 'operator' as Role, stationId: '' };

export function NewUserForm({ stations, stationName, onCreated }: Props) {
  const { t } = useTranslation();
  const [v, setV] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const user = await createUser({ username: v.username, displayName: v.displayName, password: v.password, role: v.role });
      if (v.stationId) await setUserStation(user.id, v.stationId);
      setV(EMPTY);
      setErrors({});
      setBanner(null);
      onCreated();
    } catch (err) {
      const fields = isApiError(err) ? err.fieldErrors : [];
      setErrors(Object.fromEntries(fields.map((f) => [f.field, f.message])));
      setBanner({ ...describeError(err, t), other: fields.filter((f) => !(f.field in EMPTY)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-user form-grid" data-testid="new-user-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('admin.users.create')}</h2>
      {banner && <ErrorBanner banner={banner} testId="new-user-error" />}
      <Field id="new-user-username" label={t('admin.users.username')} error={errors.username} required>
        {(a) => <input {...a} data-testid="new-user-username" autoComplete="off" value={v.username} onChange={set('username')} />}
      </Field>
      <Field id="new-user-display" label={t('admin.users.displayName')} error={errors.displayName}>
        {(a) => <input {...a} data-testid="new-user-display" value={v.displayName} onChange={set('displayName')} />}
      </Field>
      <Field id="new-user-password" label={t('admin.users.password')} error={errors.password} hint={t('admin.users.passwordHint')} required>
        {(a) => <input {...a} type="password" autoComplete="new-password" data-testid="new-user-password" value={v.password} onChange={set('password')} />}
      </Field>
      <Field id="new-user-role" label={t('admin.users.role')} error={errors.role}>
        {(a) => (
          <select {...a} data-testid="new-user-role" value={v.role} onChange={set('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="new-user-station" label={t('admin.users.station')} error={errors.stationId}>
        {(a) => (
          <select {...a} data-testid="new-user-station" value={v.stationId} onChange={set('stationId')}>
            <option value="">{t('admin.users.county')}</option>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {stationName(s.id)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="new-user-submit" disabled={busy}>
          {t('admin.users.createSubmit')}
        </button>
      </div>
    </form>
  );
}
