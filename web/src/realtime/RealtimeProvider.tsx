/**
 * One socket.io connection for the signed-in console (same origin, the session cookie
 * authenticates it). Components subscribe to typed camera events via useRealtimeEvents(), and
 * to discovery events (staff only; the server sends them to staff sockets) via useDiscoveryEvents(),
 * to alarm events via useAlarmEvents() (web/src/alarms), and to clip job progress via useClipEvents().
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { DISCOVERY_EVENT_NAMES, toDiscoveryEvent, type DiscoveryEvent } from './discoveryEvents';
import { CAMERA_EVENT_NAMES, toRealtimeEvent, type RealtimeEvent } from './events';
import { ALARM_EVENT_NAMES, toAlarmEvent, type AlarmEvent } from '@web/alarms/alarmEvents';
import { EVENTS, type ClipProgressEvent } from '@common/events';
import { toClipEvent } from './clipEvents';

type Listener = (e: RealtimeEvent) => void;
type DiscoveryListener = (e: DiscoveryEvent) => void;
type AlarmListener = (e: AlarmEvent) => void;
/** Footage requests changed (a new one for an owner, an answer for the investigator, or a reconnect). */
type FootageListener = () => void;
/** A clip job's progress, or null after a reconnect (events may have been missed: reload). */
type ClipListener = (e: ClipProgressEvent | null) => void;

interface Realtime {
  connected: boolean;
  subscribe: (listener: Listener) => () => void;
  subscribeDiscovery: (listener: DiscoveryListener) => () => void;
  subscribeAlarms: (listener: AlarmListener) => () => void;
  subscribeFootage: (listener: FootageListener) => () => void;
  subscribeClips: (listener: ClipListener) => () => void;
}

const RealtimeContext = createContext<Realtime>({ connected: false, subscribe: () => () => undefined, subscribeDiscovery: () => () => undefined, subscribeAlarms: () => () => undefined, subscribeFootage: () => () => undefined, subscribeClips: () => () => undefined });

/** 1–3 s: spread the reconnects of many consoles. */
const reconnectDelayMs = () => 1000 + Math.floor(Math.random() * 2000);

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
  const alarmListeners = useRef(new Set<AlarmListener>());
  const footageListeners = useRef(new Set<FootageListener>());
  const clipListeners = useRef(new Set<ClipListener>());

  useEffect(() => {
    const emit = (e: RealtimeEvent) => listeners.current.forEach((l) => l(e));
    const emitDiscovery = (e: DiscoveryEvent) => discoveryListeners.current.forEach((l) => l(e));
    const emitAlarm = (e: AlarmEvent) => alarmListeners.current.forEach((l) => l(e));
    const socket: Socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    let everConnected = false;
    socket.on('connect', () => {
      setConnected(true);
      if (everConnected) {
        emit({ type: 'resync' });
        emitDiscovery({ type: 'resync' });
        emitAlarm({ type: 'resync' });
        footageListeners.current.forEach((l) => l());
        clipListeners.current.forEach((l) => l(null));
      }
      everConnected = true;
    });
    // socket.io-client retries by itself after a lost transport, but not after the server said
    // 'io server disconnect' (an older api stopping, a sign-out elsewhere): come back anyway, after a
    // short jittered wait (many consoles at once must not stampede). A session that really ended
    // fails the handshake once (connect_error) and stays off.
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('disconnect', (reason) => {
      setConnected(false);
      if (reason === 'io server disconnect') retry = setTimeout(() => socket.connect(), reconnectDelayMs());
    });
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
    for (const name of ALARM_EVENT_NAMES) {
      socket.on(name, (payload: unknown) => {
        const e = toAlarmEvent(name, payload);
        if (e) emitAlarm(e);
      });
    }
    for (const name of [EVENTS.footageRequest, EVENTS.footageDecided]) socket.on(name, () => footageListeners.current.forEach((l) => l()));
    socket.on(EVENTS.clipProgress, (payload: unknown) => {
      const e = toClipEvent(payload);
      if (e) clipListeners.current.forEach((l) => l(e));
    });
    return () => {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  const subscribe = useCallback((l: Listener) => addTo(listeners.current, l), []);
  const subscribeDiscovery = useCallback((l: DiscoveryListener) => addTo(discoveryListeners.current, l), []);
  const subscribeAlarms = useCallback((l: AlarmListener) => addTo(alarmListeners.current, l), []);
  const subscribeFootage = useCallback((l: FootageListener) => addTo(footageListeners.current, l), []);
  const subscribeClips = useCallback((l: ClipListener) => addTo(clipListeners.current, l), []);
  const value = useMemo<Realtime>(
    () => ({ connected, subscribe, subscribeDiscovery, subscribeAlarms, subscribeFootage, subscribeClips }),
    [connected, subscribe, subscribeDiscovery, subscribeAlarms, subscribeFootage, subscribeClips],
  );
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

/** Calls `onEvent` (latest closure) for every alarm event while mounted (web/src/alarms). */
export function useAlarmEvents(onEvent: AlarmListener): void {
  const { subscribeAlarms } = useRealtime();
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => subscribeAlarms((e) => latest.current(e)), [subscribeAlarms]);
}

/** Calls `onChange` (latest closure) whenever footage requests may have changed, while mounted. */
export function useFootageEvents(onChange: FootageListener): void {
  const { subscribeFootage } = useRealtime();
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => subscribeFootage(() => latest.current()), [subscribeFootage]);
}

/** Calls `onEvent` (latest closure) for every clip:progress event (null: reconnected, reload) while mounted. */
export function useClipEvents(onEvent: ClipListener): void {
  const { subscribeClips } = useRealtime();
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => subscribeClips((e) => latest.current(e)), [subscribeClips]);
}
