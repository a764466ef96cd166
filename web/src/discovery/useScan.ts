/**
 * The watched scan: start it, follow discovery:* socket events, reconcile with GET /scans/{id}
 * (every few seconds while running, after a reconnect, and once when it ends), open past scans.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { getScan, startScan, type EnrollResult, type ScanRequest } from '@web/api/discovery';
import { useDiscoveryEvents } from '@web/realtime/RealtimeProvider';
import { initialScan, isTerminal, scanReducer } from './scanState';

const POLL_MS = 4_000;

export function useScan(onError: (e: unknown) => void) {
  const [state, dispatch] = useReducer(scanReducer, initialScan);
  const idRef = useRef<string | null>(null);
  idRef.current = state.scan?.id ?? null;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const reconcile = useCallback(async () => {
    const id = idRef.current;
    if (!id) return;
    try {
      dispatch({ type: 'snapshot', scan: await getScan(id) });
    } catch (e) {
      onErrorRef.current(e);
    }
  }, []);

  useDiscoveryEvents((event) => {
    if (event.type === 'resync') void reconcile();
    else dispatch({ type: 'event', event });
  });

  const id = state.scan?.id ?? null;
  const phase = state.scan?.phase;
  useEffect(() => {
    if (!id) return;
    if (isTerminal(phase)) {
      void reconcile();
      return;
    }
    if (phase !== 'running') return;
    const timer = window.setInterval(() => void reconcile(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [id, phase, reconcile]);

  return {
    state,
    /** Starts a scan; the request (with any password) is not kept anywhere after this call. */
    start: useCallback(async (body: ScanRequest) => {
      dispatch({ type: 'start', method: body.method, range: body.range ?? null });
      try {
        const started = await startScan(body);
        dispatch({ type: 'started', id: started.id });
      } catch (e) {
        dispatch({ type: 'startFailed' });
        throw e;
      }
    }, []),
    open: useCallback(async (scanId: string) => {
      try {
        dispatch({ type: 'snapshot', scan: await getScan(scanId), open: true });
      } catch (e) {
        onErrorRef.current(e);
      }
    }, []),
    enrolled: useCallback((r: EnrollResult) => dispatch({ type: 'enrolled', enrolled: r.enrolled }), []),
  };
}
