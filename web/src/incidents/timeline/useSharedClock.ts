/** The one playhead of the multi-camera timeline (clockModel.ts), ticking 4 times a second while it plays. */
import { useCallback, useEffect, useState } from 'react';
import type { Window } from '@web/playback/timelineModel';
import { playheadAt, seek as seekClock, settle, startClock, toggle as toggleClock, type Clock } from './clockModel';

export interface SharedClock {
  playhead: number;
  running: boolean;
  epoch: number;
  seek(at: number): void;
  toggle(): void;
}

const TICK_MS = 250;

export function useSharedClock(w: Window): SharedClock {
  const [clock, setClock] = useState<Clock>(() => startClock(w, performance.now()));
  const [now, setNow] = useState(() => performance.now());

  useEffect(() => {
    if (!clock.running) return;
    const timer = setInterval(() => {
      const t = performance.now();
      setNow(t);
      setClock((c) => settle(c, w, t));
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [clock.running, w]);

  const seek = useCallback((at: number) => {
    const t = performance.now();
    setNow(t);
    setClock((c) => seekClock(c, w, at, t));
  }, [w]);
  const toggle = useCallback(() => {
    const t = performance.now();
    setNow(t);
    setClock((c) => toggleClock(c, w, t));
  }, [w]);

  return { playhead: playheadAt(clock, w, Math.max(now, clock.since)), running: clock.running, epoch: clock.epoch, seek, toggle };
}
