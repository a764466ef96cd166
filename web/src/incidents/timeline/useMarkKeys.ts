/** Keys I and O mark in and out at the playhead while `active` (not while typing in a field; an input's `type` is read from the element). */
import { useEffect, useRef } from 'react';
import { markKey } from './marksModel';

export function useMarkKeys(active: boolean, onMark: (which: 'in' | 'out') => void): void {
  const latest = useRef(onMark);
  latest.current = onMark;
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      const which = markKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, target: e.target instanceof HTMLElement ? e.target : null });
      if (!which) return;
      e.preventDefault();
      latest.current(which);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active]);
}
