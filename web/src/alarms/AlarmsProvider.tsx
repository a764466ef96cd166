/**
 * The console's open (unacknowledged) alarms: loaded once, then kept current from socket.io
 * ('alarm:raised' / 'alarm:updated'; reloaded after a reconnect and on 'alarms:changed', many at
 * once). A new alarm shows a toast and, when the user turned it on, plays a short tone (many at
 * once: one toast with their number). Other parts read them with useAlarms():
 * the header counter, the alarm page, and the live wall (`openByCamera` highlights tiles).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alarm } from '@common/alarms';
import { acknowledgeAlarm, listAlarms } from '@web/api/alarms';
import { useAlarmEvents } from '@web/realtime/RealtimeProvider';
import { useToasts } from '@web/ui/Toasts';
import { applyAlarm, byCamera } from './alarmEvents';
import { playAlarmTone, soundPreference } from './sound';

export interface AlarmsState {
  /** Unacknowledged alarms, newest first. */
  open: Alarm[];
  /** Open alarms by camera id (for the wall). */
  openByCamera: ReadonlyMap<string, Alarm[]>;
  /** Bumped on every change (lists showing acknowledged alarms reload on it). */
  revision: number;
  acknowledge(id: string, note: string): Promise<Alarm>;
  sound: boolean;
  setSound(on: boolean): void;
}

const empty: AlarmsState = { open: [], openByCamera: new Map(), revision: 0, acknowledge: () => Promise.reject(new Error('no AlarmsProvider')), sound: false, setSound: () => undefined };
const AlarmsContext = createContext<AlarmsState>(empty);

export function AlarmsProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const toasts = useToasts();
  const [open, setOpen] = useState<Alarm[]>([]);
  const [revision, setRevision] = useState(0);
  const [sound, setSoundState] = useState(soundPreference.get);

  const reload = useCallback(async (signal?: AbortSignal) => {
    try {
      const list = await listAlarms('open', signal);
      setOpen(list.items);
      setRevision((r) => r + 1);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) console.warn('alarms: list failed', e);
    }
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    void reload(ac.signal);
    return () => ac.abort();
  }, [reload]);

  useAlarmEvents((e) => {
    if (e.type === 'resync') return void reload();
    if (e.type === 'changed') {
      void reload();
      if (e.change === 'raised') {
        toasts.show('error', t('alarms.toastMany', { count: e.count }), t('alarms.toastDetail'));
        if (sound) playAlarmTone();
      }
      return;
    }
    setOpen((cur) => applyAlarm(cur, e.alarm));
    setRevision((r) => r + 1);
    if (e.type === 'raised') {
      toasts.show('error', t('alarms.toast', { camera: e.alarm.cameraName, kind: t(`alarms.kind.${e.alarm.kind}`) }), t('alarms.toastDetail'));
      if (sound) playAlarmTone();
    }
  });

  const acknowledge = useCallback(async (id: string, note: string) => {
    const a = await acknowledgeAlarm(id, note);
    setOpen((cur) => applyAlarm(cur, a));
    setRevision((r) => r + 1);
    return a;
  }, []);

  const setSound = useCallback((on: boolean) => {
    soundPreference.set(on);
    setSoundState(on);
    if (on) playAlarmTone();
  }, []);

  const value = useMemo<AlarmsState>(() => ({ open, openByCamera: byCamera(open), revision, acknowledge, sound, setSound }), [open, revision, acknowledge, sound, setSound]);
  return <AlarmsContext.Provider value={value}>{children}</AlarmsContext.Provider>;
}

/** Open alarms and acknowledgement; outside an AlarmsProvider: none. */
export const useAlarms = () => useContext(AlarmsContext);

const NONE: Alarm[] = [];

/** The open alarms of one camera (a wall tile highlights itself when there are any). */
export const useCameraAlarms = (cameraId: string | null | undefined): Alarm[] => {
  const { openByCamera } = useAlarms();
  return (cameraId ? openByCamera.get(cameraId) : undefined) ?? NONE;
};
