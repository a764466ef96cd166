/** Sign-in page. Wrong credentials (401) and rate limiting (429) are shown inline. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@web/api/problem';
import { LanguageSwitch } from '@web/i18n/LanguageSwitch';
import { describeError } from '@web/ui/errors';
import { useSession } from './SessionContext';
import { Brand } from '@web/layout/Brand';

export function LoginPage({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  // Keys, not texts, so a language switch re-translates the message.
  const [error, setError] = useState<{ key: string; seconds?: number; detail?: string } | null>(expired ? { key: 'auth.expired' } : null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError({ key: 'auth.required' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setPassword('');
      if (isApiError(err) && err.status === 401) setError({ key: 'auth.invalid' });
      else if (isApiError(err) && err.status === 429)
        setError(err.retryAfter ? { key: 'auth.rateLimitedIn', seconds: err.retryAfter } : { key: 'auth.rateLimited' });
      else setError({ key: isApiError(err) && err.status === 0 ? 'error.network' : 'error.generic', detail: describeError(err, t).detail });
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
        <Brand className="brand brand-login" />
        <h1 id="login-title">{t('auth.title')}</h1>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="login-error">
            <strong>{t(error.key, { seconds: error.seconds })}</strong>
            {error.detail && <span>{error.detail}</span>}
          </div>
        )}
        <label className="field">
          <span className="field-label">{t('auth.username')}</span>
          <input data-testid="login-username" name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">{t('auth.password')}</span>
          <input data-testid="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
          {busy ? t('auth.submitting') : t('auth.submit')}
        </button>
      </form>
    </div>
  );
}
