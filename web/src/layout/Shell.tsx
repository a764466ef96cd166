/** The signed-in frame: dark sidebar with the sections, header with user, language and live status. */
import { useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordDialog } from '@web/auth/PasswordDialog';
import { useSession, useUser } from '@web/auth/SessionContext';
import { LanguageSwitch } from '@web/i18n/LanguageSwitch';
import { useRealtime } from '@web/realtime/RealtimeProvider';
import { AlarmCounter } from '@web/alarms/AlarmCounter';
import { sectionPath, sectionsFor, type Section } from './routes';
import { Brand } from './Brand';

const ICONS: Record<Section, string> = { live: '▦', map: '◈', cameras: '◉', discovery: '◎', incidents: '⚑', alarms: '⚠', requests: '✉', admin: '⚙' };

interface Props {
  section: Section;
  onNavigate: (path: string) => void;
  children: ReactNode;
}

export function Shell({ section, onNavigate, children }: Props) {
  const { t } = useTranslation();
  const user = useUser();
  const { signOut } = useSession();
  const { connected } = useRealtime();
  const [passwordOpen, setPasswordOpen] = useState(false);

  const go = (s: Section) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    onNavigate(sectionPath(s));
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <Brand />
        <nav aria-label={t('nav.label')}>
          <ul className="nav">
            {sectionsFor(user.role).map((s) => (
              <li key={s}>
                <a href={sectionPath(s)} className={s === section ? 'nav-item active' : 'nav-item'} aria-current={s === section ? 'page' : undefined} data-testid={`nav-${s}`} onClick={go(s)}>
                  <span className="nav-icon" aria-hidden="true">
                    {ICONS[s]}
                  </span>
                  {t(`nav.${s}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <span className={connected ? 'live-dot on' : 'live-dot'} role="status" data-testid="realtime-status" data-connected={connected}>
            {connected ? t('realtime.connected') : t('realtime.disconnected')}
          </span>
          <div className="topbar-right">
            <AlarmCounter onNavigate={onNavigate} />
            <button type="button" className="btn btn-ghost user" data-testid="current-user" title={t('password.title')} onClick={() => setPasswordOpen(true)}>
              <strong>{user.displayName || user.username}</strong>
              <span className="role-tag">{t(`role.${user.role}`)}</span>
            </button>
            <PasswordDialog open={passwordOpen} onClose={() => setPasswordOpen(false)} />
            <LanguageSwitch />
            <button type="button" className="btn btn-ghost" data-testid="sign-out" onClick={() => void signOut()}>
              {t('auth.signOut')}
            </button>
          </div>
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
