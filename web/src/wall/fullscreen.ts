/** Full screen for the wall or one tile (the Fullscreen API; leaving it is the browser's Esc). */

/** Enters full screen on `el`, or leaves it when `el` already is (another element: switches to `el`). */
export async function toggleFullscreen(el: HTMLElement): Promise<void> {
  try {
    if (document.fullscreenElement === el) await document.exitFullscreen();
    else await el.requestFullscreen();
  } catch {
    /* refused (no user gesture, or not allowed in this frame): nothing to do */
  }
}
