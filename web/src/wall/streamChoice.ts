/**
 * Which of a camera's streams a tile plays. Pure. Small tiles (every tile of 9/16/25, the small
 * tiles of 1+5/1+7) play the camera's sub stream when it has one: less to decode and to carry
 * for a picture that small. Layouts 1 and 4, the large tile of 1+5/1+7 and a tile in full
 * screen play the main stream; so does a tile whose sub stream failed (until it is small again
 * after being large, or shows another camera), and HLS mode (the sub stream is FLV only).
 */
import type { LiveUrls } from '@web/api/live';
import type { Layout, PlayMode } from './layout';

export type TileStream = 'main' | 'sub';

/** Whether tile `index` of `layout` is a small tile (it prefers the sub stream). */
export function isSmallTile(layout: Layout, index: number): boolean {
  if (layout === 1 || layout === 4) return false;
  if (layout === 6 || layout === 8) return index > 0;
  return true;
}

/** The stream a tile wants: sub for a small tile not in full screen, in FLV mode. */
export const wantsSub = (layout: Layout, index: number, fullscreen: boolean, mode: PlayMode): boolean => mode === 'flv' && !fullscreen && isSmallTile(layout, index);

/** The URLs to play: the sub stream's FLV in place of the main one when wanted, present and not failed. */
export function pickStream(urls: LiveUrls, wantSub: boolean, subFailed: boolean): { stream: TileStream; urls: LiveUrls } {
  if (!wantSub || subFailed || !urls.sub) return { stream: 'main', urls };
  return { stream: 'sub', urls: { ...urls, flv: urls.sub.flv } };
}
