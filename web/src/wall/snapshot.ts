/** A tile's current frame as a PNG download (the video is same-origin MSE, so the canvas is not tainted). */

/** `<camera name>_<YYYYMMDD-HHMMSS>.png`, with characters file systems dislike replaced. Pure. */
export function snapshotName(cameraName: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  const safe = cameraName.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'camera';
  return `${safe}_${stamp}.png`;
}

/** The frame now on `video` as a PNG blob, or null when it has none yet. */
export function captureFrame(video: HTMLVideoElement): Promise<Blob | null> {
  const { videoWidth: w, videoHeight: h } = video;
  if (!w || !h) return Promise.resolve(null);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  if (!g) return Promise.resolve(null);
  g.drawImage(video, 0, 0, w, h);
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b), 'image/png'));
}

export async function saveSnapshot(video: HTMLVideoElement, fileName: string): Promise<boolean> {
  const blob = await captureFrame(video);
  if (!blob) return false;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}
