/**
 * The signed-in user. Restores the session on load (GET /auth/session), signs in and out, and drops
 * back to the sign-in page when any call answers 401 (expired cookie).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as authApi from '@web/api/auth';
import { onUnauthorized, setCsrfToken } from '@web/api/client';
import type { User } from '@web/api/types';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'anonymous'; expired: boolean }
  | { kind: 'signed-in'; user: User };

interface Session {
  state: SessionState;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });

  useEffect(() => {
    const ctrl = new AbortController();
    authApi
      .session(ctrl.signal)
      .then(({ user }) => setState(user ? { kind: 'signed-in', user } : { kind: 'anonymous', expired: false }))
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        setState({ kind: 'anonymous', expired: false });
      });
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    onUnauthorized(() => {
      setCsrfToken(undefined);
      setState((s) => (s.kind === 'signed-in' ? { kind: 'anonymous', expired: true } : s));
    });
    return () => onUnauthorized(undefined);
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const res = await authApi.login(username, password);
    setCsrfToken(res.csrfToken);
    setState({ kind: 'signed-in', user: res.user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setCsrfToken(undefined);
      setState({ kind: 'anonymous', expired: false });
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useUser(): User {
  const { state } = useSession();
  if (state.kind !== 'signed-in') throw new Error('useUser without a session');
  return state.user;
}
