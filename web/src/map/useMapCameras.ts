/**
 * The cameras on a map and the map settings: loaded once (all pages, or those within a radius),
 * kept current by the socket's camera events as the wall and the registry are, reloaded on resync.
 */
import { useCallback, useEffect, useState } from 'react';
import { getMapSettings, listMapCameras, type MapSettings } from '@web/api/map';
import type { Camera } from '@web/api/types';
import { useRealtimeEvents } from '@web/realtime/RealtimeProvider';
import { applyEvent } from './mapModel';

export interface MapData {
  cameras: Camera[] | null;
  settings: MapSettings | null;
  error: unknown;
  reload(): void;
}

export function useMapCameras(near?: { lat: number; lon: number; radius: number } | null): MapData {
  const [cameras, setCameras] = useState<Camera[] | null>(null);
  const [settings, setSettings] = useState<MapSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const lat = near?.lat;
  const lon = near?.lon;
  const radius = near?.radius;

  useEffect(() => {
    const ctrl = new AbortController();
    getMapSettings(ctrl.signal)
      .then(setSettings)
      // Without settings the map still works offline: plain background.
      .catch(() => setSettings({ tileUrl: null, tileAttribution: '', tileCoords: 'wgs84' }));
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    const area = lat !== undefined && lon !== undefined && radius !== undefined ? { lat, lon, radius } : undefined;
    listMapCameras(ctrl.signal, area)
      .then((items) => {
        setCameras(items);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
      });
    return () => ctrl.abort();
  }, [generation, lat, lon, radius]);

  useRealtimeEvents((e) => {
    // A radius map ignores cameras created or moved elsewhere until it reloads; status changes apply.
    setCameras((current) => {
      if (!current) return current;
      const next = applyEvent(current, e);
      if (next === null) {
        reload();
        return current;
      }
      if (radius !== undefined && (e.type === 'created' || e.type === 'updated') && !current.some((c) => c.id === e.camera.id)) return current;
      return next;
    });
  });

  return { cameras, settings, error, reload };
}
