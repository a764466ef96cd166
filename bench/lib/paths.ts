/** What the bench needs from an ingest path under test (Sky Eye or the bare-ffmpeg baseline). */
import type { SimCam } from './sim-client';

export interface IngestPath {
  readonly name: 'skyeye' | 'baseline' | 'baselineSame';
  /** Makes the running set exactly `cams` (starts new ones, stops the others). */
  setCameras(cams: readonly SimCam[]): Promise<void>;
  /** When ingest of a camera was started (ms), for time to first frame. */
  startedAt(cameraId: string): number | undefined;
  playlist(cameraId: string): string;
  /** Pids of the ffmpeg processes running now. */
  ffmpegPids(): number[];
  /** Problems seen since `t` (unexpected exits, non-live statuses). */
  incidents(since: number): string[];
  close(): Promise<void>;
}
