/**
 * One socket.io connection for the signed-in console (same origin, the session cookie
 * authenticates it). Components subscribe to typed camera events via useRealtimeEvents().
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { CAMERA_EVENT_NAMES, toRealtimeEvent, type RealtimeEvent } from './events';

type Listener = (e: RealtimeEvent) => void;

interface Realtime {
  connected: boolean;
  subscribe: (listener: Listener) => () => void;
}

const RealtimeContext = createContext<Realtime>({ connected: false, subscribe: () => () => undefined });

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    const emit = (e: RealtimeEvent) => listeners.current.forEach((l) => l(e));
    const socket: Socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    let everConnected = false;
    socket.on('connect', () => {
      setConnected(true);
      if (everConnected) emit({ type: 'resync' });
      everConnected = true;
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', () => setConnected(false));
    for (const name of CAMERA_EVENT_NAMES) {
      socket.on(name, (payload: unknown) => {
        const e = toRealtimeEvent(name, payload);
        if (e) emit(e);
      });
    }
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  const subscribe = useCallback((l: Listener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);
  const value = useMemo<Realtime>(() => ({ connected, subscribe }), [connected, subscribe]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export const useRealtime = () => useContext(RealtimeContext);

/** Calls `onEvent` (latest closure) for every camera event while mounted. */
export function useRealtimeEvents(onEvent: Listener): void {
  const { subscribe } = useRealtime();
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => subscribe((e) => latest.current(e)), [subscribe]);
}
