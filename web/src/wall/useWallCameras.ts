/** Loads the cameras on the wall (GET /cameras/{id}) and keeps their status live from socket events. */
import { useEffect, useRef, useState } from 'react';
import { getCamera } from '@web/api/cameras';
import { isApiError } from '@web/api/problem';
import { useRealtimeEvents } from '@web/realtime/RealtimeProvider';
import { applyEvent, toWallCamera, withCamera, type CameraIndex } from './cameraIndex';

const RETRY_MS = 5_000;

export function useWallCameras(ids: readonly (string | null)[]): CameraIndex {
  const [index, setIndex] = useState<CameraIndex>(() => new Map());
  const [epoch, setEpoch] = useState(0);
  const indexRef = useRef(index);
  indexRef.current = index;
  const loading = useRef(new Set<string>());
  /** Loaded once but possibly out of date (events missed while the socket was down). */
  const stale = useRef(new Set<string>());
  const mounted = useRef(true);
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))].sort().join(',');

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    const load = (id: string) => {
      loading.current.add(id);
      stale.current.delete(id);
      getCamera(id)
        .then((c) => mounted.current && setIndex((m) => withCamera(m, id, toWallCamera(c))))
        .catch((e: unknown) => {
          if (!mounted.current) return;
          if (isApiError(e) && (e.status === 404 || e.status === 403)) {
            setIndex((m) => withCamera(m, id, 'missing'));
            return;
          }
          stale.current.add(id);
          window.setTimeout(() => mounted.current && setEpoch((n) => n + 1), RETRY_MS);
        })
        .finally(() => loading.current.delete(id));
    };
    for (const id of wanted ? wanted.split(',') : []) {
      if (loading.current.has(id)) continue;
      if (!indexRef.current.has(id) || stale.current.has(id)) load(id);
    }
  }, [wanted, epoch]);

  useRealtimeEvents((e) => {
    if (e.type === 'resync') {
      for (const id of indexRef.current.keys()) stale.current.add(id);
      setEpoch((n) => n + 1);
    } else setIndex((m) => applyEvent(m, e));
  });

  return index;
}
