/** Camera ids become directory names and key parts: reject anything that could escape a root. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertSafeCameraId(cameraId: string): void {
  if (!SAFE_ID.test(cameraId) || cameraId.includes('..')) {
    throw new Error(`unsafe camera id for a path: ${JSON.stringify(cameraId)}`);
  }
}
