/**
 * The port through which the media server and the ingest pipeline ask about push stream keys.
 * Declared here, implemented by the app (server/ingest/push-key-repository.ts).
 */
export interface PushKeyLookup {
  /** Whether the camera has a push key (it pushes RTMP instead of being pulled over RTSP). */
  hasKey(cameraId: string): Promise<boolean>;
  /** Whether `key` is the camera's current push key. */
  verify(cameraId: string, key: string | undefined): Promise<boolean>;
}
