/**
 * One socket.io connection for the signed-in console (same origin, the session cookie
 * authenticates it). Components subscribe to typed camera events via useRealtimeEvents(), and
 * to discovery events (staff only; the server sends them to staff sockets) via useDiscoveryEvents().
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { DISCOVERY_EVENT_NAMES, toDiscoveryEvent, type DiscoveryEvent } from './discoveryEvents';
import { CAMERA_EVENT_NAMES, toRealtimeEvent, type RealtimeEvent } from './events';

type Listener = (e: RealtimeEvent) => void;
type DiscoveryListener = (e: DiscoveryEvent) => void;

interface Realtime {
  connected: boolean;
  subscribe: (listener: Listener) => () => void;
  subscribeDiscovery: (listener: DiscoveryListener) => () => void;
}

const RealtimeContext = createContext<Realtime>({ connected: false, subscribe: () => () => undefined, subscribeDiscovery: () => () => undefined });

function addTo<T>(set: Set<T>, l: T): () => void {
  set.add(l);
  return () => {
    set.delete(l);
  };
}

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const listeners = useRef(new Set<Listener>());
  const discoveryListeners = useRef(new Set<DiscoveryListener>());

  useEffect(() => {
    const emit = (e: RealtimeEvent) => listeners.current.forEach((l) => l(e));
    const emitDiscovery = (e: DiscoveryEvent) => discoveryListeners.current.forEach((l) => l(e));
    const socket: Socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    let everConnected = false;
    socket.on('connect', () => {
      setConnected(true);
      if (everConnected) {
        emit({ type: 'resync' });
        emitDiscovery({ type: 'resync' });
      }
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
    for (const name of DISCOVERY_EVENT_NAMES) {
      socket.on(name, (payload: unknown) => {
        const e = toDiscoveryEvent(name, payload);
        if (e) emitDiscovery(e);
      });
    }
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  const subscribe = useCallback((l: Listener) => addTo(listeners.current, l), []);
  const subscribeDiscovery = useCallback((l: DiscoveryListener) => addTo(discoveryListeners.current, l), []);
  const value = useMemo<Realtime>(() => ({ connected, subscribe, subscribeDiscovery }), [connected, subscribe, subscribeDiscovery]);
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

/** Calls `onEvent` (latest closure) for every discovery event while mounted. */
export function useDiscoveryEvents(onEvent: DiscoveryListener): void {
  const { subscribeDiscovery } = useRealtime();
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => subscribeDiscovery((e) => latest.current(e)), [subscribeDiscovery]);
}
