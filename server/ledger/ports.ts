/**
 * What the ledger and playback need from the recording index, as small ports: the adapter in
 * segment-index.ts implements them over recording_segments, so a change of that table (the
 * archive's rework) is one adapter.
 */
import type { DropRecord } from './ledger';

export interface RecordedSegment {
  cameraId: string;
  start: Date;
  end: Date;
  bytes: number;
}

export interface RecordingIndex {
  /** Segments of one camera overlapping [from, to), by start time. */
  listSegments(cameraId: string, from: Date, to: Date): Promise<RecordedSegment[]>;
  /** Recorded milliseconds per camera within [from, to) (segments clipped to it). */
  recordedMs(from: Date, to: Date): Promise<Map<string, number>>;
  /** Recorded time dropped on purpose (free-disk guard, retention) overlapping [from, to). */
  drops(cameraId: string, from: Date, to: Date): Promise<DropRecord[]>;
  /** drops() of many cameras, each from its own time, in one query. */
  dropsOf(windows: ReadonlyArray<{ cameraId: string; from: Date }>, to: Date): Promise<Map<string, DropRecord[]>>;
}

export interface CameraFacts {
  id: string;
  name: string;
  ownerUserId: string | null;
  createdAt: Date;
  retentionDays: number;
  status: string;
  /** Approved and recording continuously: a camera that should have no gaps. */
  recording: boolean;
}
