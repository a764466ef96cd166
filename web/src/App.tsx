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
import { AlarmsProvider } from './alarms/AlarmsProvider';
import { AlarmsPage } from './alarms/AlarmsPage';
import { RegistryPage } from './registry/RegistryPage';
import { AlarmedWall } from './alarms/AlarmedWall';
import { PlaybackPage } from './playback/PlaybackPage';
import { parsePlaybackPath } from './playback/timelineModel';
import { IncidentDetail } from './incidents/IncidentDetail';
import { IncidentsPage } from './incidents/IncidentsPage';
import { FootageRequestsPage } from './merchant/FootageRequestsPage';
import { newIncidentPrefill, parseIncidentPath } from './incidents/incidentModel';
import { VERIFY_PATH } from './evidence/evidenceModel';
import { VerifyPackagePage } from './evidence/VerifyPackagePage';
import { MapPage } from './map/MapPage';
import { AdminPage } from './admin/AdminPage';

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

  // /wall?layout=...&cameras=... (bookmarkable wall) is the live section.
  const isWall = path.replace(/\/+$/, '') === '/wall';
  const section = isWall ? 'live' : sectionOf(path);
  const playback = parsePlaybackPath(path, window.location.search);
  const incidentId = parseIncidentPath(path);
  return (
    <RealtimeProvider>
      <AlarmsProvider>
        <Shell section={section} onNavigate={navigate}>
          {playback ? (
            <PlaybackPage key={`${playback.cameraId}-${window.location.search}`} cameraId={playback.cameraId} at={playback.at} onNavigate={navigate} />
          ) : section === 'cameras' ? (
            <RegistryPage />
          ) : section === 'live' ? (
            <AlarmedWall />
          ) : section === 'map' ? (
            <MapPage onNavigate={navigate} />
          ) : section === 'admin' ? (
            <AdminPage path={path} onNavigate={navigate} />
          ) : section === 'alarms' ? (
            <AlarmsPage />
          ) : section === 'discovery' ? (
            <DiscoveryPage onNavigate={navigate} />
          ) : section === 'incidents' && incidentId ? (
            <IncidentDetail key={incidentId} incidentId={incidentId} onNavigate={navigate} />
          ) : section === 'incidents' && path.replace(/\/+$/, '') === VERIFY_PATH ? (
            <VerifyPackagePage onNavigate={navigate} />
          ) : section === 'requests' ? (
            <FootageRequestsPage />
          ) : section === 'incidents' ? (
            <IncidentsPage key={path} onNavigate={navigate} prefill={newIncidentPrefill(path, window.location.search)} />
          ) : (
            <Placeholder titleKey={`nav.${section}`} />
          )}
        </Shell>
      </AlarmsProvider>
    </RealtimeProvider>
  );
}
