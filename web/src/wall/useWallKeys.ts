/**
 * Wall keyboard shortcuts: 1-9 select that tile, arrows move the selection, F toggles full
 * screen for the wall, Enter for the selected tile. Ignored while typing or in a dialog.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { moveSelection, type Direction, type Layout } from './layout';
import { toggleFullscreen } from './fullscreen';

const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** The action a key stands for on a wall of `layout` with tile `selected` selected, or null. Pure. */
export function keyAction(key: string, layout: Layout, selected: number): { select: number } | { fullscreen: 'wall' | 'tile' } | null {
  if (/^[1-9]$/.test(key)) {
    const n = Number(key) - 1;
    return n < layout ? { select: n } : null;
  }
  if (key === 'f' || key === 'F') return { fullscreen: 'wall' };
  if (key === 'Enter') return { fullscreen: 'tile' };
  const dir = ARROWS[key];
  return dir ? { select: moveSelection(layout, selected, dir) } : null;
}

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.closest('[role=dialog]') !== null);

export function useWallKeys(layout: Layout, selected: number, select: (i: number) => void, wallRef: RefObject<HTMLElement | null>): void {
  const state = useRef({ layout, selected });
  state.current = { layout, selected };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const a = keyAction(e.key, state.current.layout, state.current.selected);
      if (!a) return;
      e.preventDefault();
      if ('select' in a) return select(a.select);
      const wall = wallRef.current;
      if (!wall) return;
      const target = a.fullscreen === 'wall' ? wall : wall.querySelector<HTMLElement>(`[data-testid=wall-tile][data-index="${state.current.selected}"]`);
      if (target) void toggleFullscreen(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select, wallRef]);
}
