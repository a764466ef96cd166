import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles/base.css';
import './styles/shell.css';
import './styles/registry.css';
import './styles/wall.css';
import './styles/discovery.css';
import './styles/playback.css';
import './styles/alarms.css';
import './styles/incidents.css';
import './styles/map.css';
import './styles/admin.css';
import { App } from './App';
import { SessionProvider } from './auth/SessionContext';
import { ToastProvider } from './ui/Toasts';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <ToastProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </ToastProvider>
  </StrictMode>,
);
