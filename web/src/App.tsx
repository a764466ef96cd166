/** Top level: session gate, then the shell with the current section. */
import { useTranslation } from 'react-i18next';
import { LoginPage } from './auth/LoginPage';
import { useSession } from './auth/SessionContext';
import { DiscoveryPage } from './discovery/DiscoveryPage';
import { Placeholder } from './layout/Placeholder';
import { sectionOf } from './layout/routes';
import { Shell } from './layout/Shell';
import { usePathname } from './layout/useLocation';
import { RealtimeProvider } from './realtime/RealtimeProvider';
import { RegistryPage } from './registry/RegistryPage';
import { WallPage } from './wall/WallPage';

export function App() {
  const { t } = useTranslation();
  const { state } = useSession();
  const [path, navigate] = usePathname();

  if (state.kind === 'loading') {
    return (
      <div className="boot" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (state.kind === 'anonymous') return <LoginPage expired={state.expired} />;

  const section = sectionOf(path);
  return (
    <RealtimeProvider>
      <Shell section={section} onNavigate={navigate}>
        {section === 'cameras' ? (
          <RegistryPage />
        ) : section === 'live' ? (
          <WallPage />
        ) : section === 'discovery' ? (
          <DiscoveryPage onNavigate={navigate} />
        ) : (
          <Placeholder titleKey={`nav.${section}`} />
        )}
      </Shell>
    </RealtimeProvider>
  );
}
