/** Loads camera pages for the filters (latest request wins) and applies realtime events. */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { listCameras } from '@web/api/cameras';
import type { Camera, CameraFilters } from '@web/api/types';
import { useRealtimeEvents } from '@web/realtime/RealtimeProvider';
import { initialList, listReducer } from './listState';

export function useCameraList(filters: CameraFilters, onError: (e: unknown) => void) {
  const [state, dispatch] = useReducer(listReducer, initialList);
  const seq = useRef(0);
  const ctrl = useRef<AbortController | null>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const load = useCallback(async (cursor: string | null) => {
    const mine = ++seq.current;
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    dispatch({ type: 'request' });
    try {
      const page = await listCameras(filtersRef.current, cursor, c.signal);
      if (mine === seq.current) dispatch({ type: 'loaded', page, append: cursor !== null });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      if (mine === seq.current) {
        dispatch({ type: 'failed' });
        onErrorRef.current(e);
      }
    }
  }, []);

  const key = JSON.stringify(filters);
  useEffect(() => {
    void load(null);
  }, [key, load]);
  useEffect(() => () => ctrl.current?.abort(), []);

  useRealtimeEvents((event) => {
    if (event.type === 'resync') void load(null);
    else dispatch({ type: 'event', event, filters: filtersRef.current });
  });

  return {
    state,
    reload: useCallback(() => load(null), [load]),
    loadMore: useCallback(() => {
      if (state.nextCursor) void load(state.nextCursor);
    }, [load, state.nextCursor]),
    upsert: useCallback((camera: Camera) => dispatch({ type: 'upsert', camera, filters: filtersRef.current }), []),
    remove: useCallback((id: string) => dispatch({ type: 'remove', id }), []),
  };
}
