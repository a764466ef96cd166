/** The wall's layout, mode and cameras, remembered in localStorage. */
import { useCallback, useEffect, useState } from 'react';
import { assignSlot, parseWall, serialiseWall, type Layout, type PlayMode, type WallSettings } from './layout';

export const WALL_STORAGE_KEY = 'skyeye.wall';

function read(): WallSettings {
  try {
    return parseWall(window.localStorage.getItem(WALL_STORAGE_KEY));
  } catch {
    return parseWall(null);
  }
}

export function useWallSettings() {
  const [wall, setWall] = useState<WallSettings>(read);

  useEffect(() => {
    try {
      window.localStorage.setItem(WALL_STORAGE_KEY, serialiseWall(wall));
    } catch {
      /* storage full or disabled: the wall still works for this visit */
    }
  }, [wall]);

  return {
    wall,
    setLayout: useCallback((layout: Layout) => setWall((w) => ({ ...w, layout })), []),
    setMode: useCallback((mode: PlayMode) => setWall((w) => ({ ...w, mode })), []),
    assign: useCallback((index: number, cameraId: string | null) => setWall((w) => assignSlot(w, index, cameraId)), []),
  };
}
