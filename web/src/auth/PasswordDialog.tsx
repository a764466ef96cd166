/**
 * The signed-in user changes their own password (POST /auth/password: the current one is checked
 * like a sign-in and the user's other sessions end). Field errors from the server show at the field.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword } from '@web/api/auth';
import { isApiError } from '@web/api/problem';
import { Dialog } from '@web/ui/Dialog';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { describeError } from '@web/ui/errors';
import { useToasts } from '@web/ui/Toasts';

type Field = 'currentPassword' | 'newPassword' | 'repeat';

export function PasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const toasts = useToasts();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', repeat: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setValues({ currentPassword: '', newPassword: '', repeat: '' });
    setErrors({});
    setBanner(null);
    onClose();
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (values.newPassword !== values.repeat) return setErrors({ repeat: t('password.mismatch') });
    setBusy(true);
    setErrors({});
    setBanner(null);
    try {
      await changePassword(values.currentPassword, values.newPassword);
      toasts.show('success', t('password.changed'));
      close();
    } catch (err) {
      const fields = isApiError(err) ? err.fieldErrors : [];
      const placed: Partial<Record<Field, string>> = {};
      for (const f of fields) if (f.field === 'currentPassword' || f.field === 'newPassword') placed[f.field] = f.message;
      setErrors(placed);
      if (!Object.keys(placed).length) setBanner(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: Field, label: string, autoComplete: string) => (
    <label className="field field-wide">
      <span className="field-label">{label}</span>
      <input
        type="password"
        data-testid={`password-${name}`}
        autoComplete={autoComplete}
        value={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `password-${name}-error` : undefined}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
      />
      {errors[name] && (
        <span className="field-error" id={`password-${name}-error`} role="alert">
          {errors[name]}
        </span>
      )}
    </label>
  );

  return (
    <Dialog
      open={open}
      title={t('password.title')}
      onClose={close}
      testId="password-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="password-form" className="btn btn-primary" data-testid="password-submit" disabled={busy || !values.currentPassword || !values.newPassword}>
            {t('password.submit')}
          </button>
        </>
      }
    >
      <form id="password-form" onSubmit={(e) => void submit(e)}>
        {banner && <ErrorBanner banner={banner} testId="password-error" />}
        {field('currentPassword', t('password.current'), 'current-password')}
        {field('newPassword', t('password.new'), 'new-password')}
        {field('repeat', t('password.repeat'), 'new-password')}
        <p className="field-hint">{t('password.hint')}</p>
      </form>
    </Dialog>
  );
}
