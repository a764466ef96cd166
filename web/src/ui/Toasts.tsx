/** Toast notices (top right). `useToasts().error(e)` shows an API problem's title/detail. */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from './errors';

type Tone = 'info' | 'success' | 'error';
interface Toast {
  id: number;
  tone: Tone;
  heading: string;
  detail?: string;
  requestId?: string;
}

interface ToastApi {
  show: (tone: Tone, heading: string, detail?: string) => void;
  error: (e: unknown) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-4), { ...toast, id }]);
      window.setTimeout(() => dismiss(id), toast.tone === 'error' ? 10_000 : 4_000);
    },
    [dismiss],
  );

  const api = useMemo<ToastApi>(
    () => ({
      show: (tone, heading, detail) => push({ tone, heading, detail }),
      error: (e) => push({ tone: 'error', ...describeError(e, t) }),
    }),
    [push, t],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast toast-${x.tone}`} role={x.tone === 'error' ? 'alert' : 'status'} data-testid="toast">
            <div className="toast-text">
              <strong>{x.heading}</strong>
              {x.detail && <span>{x.detail}</span>}
              {x.requestId && <small>{t('common.requestId', { id: x.requestId })}</small>}
            </div>
            <button type="button" className="btn btn-icon" aria-label={t('common.dismiss')} onClick={() => dismiss(x.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToasts(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToasts outside ToastProvider');
  return ctx;
}
