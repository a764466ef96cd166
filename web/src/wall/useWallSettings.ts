/**
 * The wall's layout, mode and cameras: opened from the URL (`/wall?layout=...`) when it names a
 * wall, else the one remembered in localStorage; every change is remembered, and on /wall the
 * address bar follows it (replaceState), so the wall on screen can always be bookmarked.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Layout, PlayMode } from './layout';
import { assignSlot, fillWall, parseWall, serialiseWall, swapSlots, wallFromQuery, wallQuery, type WallSettings } from './wallState';

export const WALL_STORAGE_KEY = 'skyeye.wall';
export const WALL_PATH = '/wall';

function stored(): WallSettings {
  try {
    return parseWall(window.localStorage.getItem(WALL_STORAGE_KEY));
  } catch {
    return parseWall(null);
  }
}

function initial(): WallSettings {
  const base = stored();
  return wallFromQuery(window.location.search, base) ?? base;
}

export function useWallSettings() {
  const [wall, setWall] = useState<WallSettings>(initial);

  useEffect(() => {
    try {
      window.localStorage.setItem(WALL_STORAGE_KEY, serialiseWall(wall));
    } catch {
      /* storage full or disabled: the wall still works for this visit */
    }
    if (window.location.pathname.replace(/\/+$/, '') === WALL_PATH) {
      const search = wallQuery(wall);
      if (search !== window.location.search) window.history.replaceState(window.history.state, '', `${WALL_PATH}${search}`);
    }
  }, [wall]);

  return {
    wall,
    setWall,
    setLayout: useCallback((layout: Layout) => setWall((w) => ({ ...w, layout })), []),
    setMode: useCallback((mode: PlayMode) => setWall((w) => ({ ...w, mode })), []),
    assign: useCallback((index: number, cameraId: string | null) => setWall((w) => assignSlot(w, index, cameraId)), []),
    swap: useCallback((a: number, b: number) => setWall((w) => swapSlots(w, a, b)), []),
    fill: useCallback((ids: readonly string[]) => setWall((w) => fillWall(w, ids)), []),
  };
}
