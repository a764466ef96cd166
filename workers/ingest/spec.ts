/** What the ingest worker is told about one camera. */
export interface IngestCameraSpec {
  id: string;
  rtspUrl: string;
  transport: 'tcp' | 'udp';
  credentials?: { username: string; password: string };
  recording: { mode: 'continuous' | 'off'; segmentSeconds: number };
  flvPublishUrl?: string;
  /**
   * Set for a camera that pushes RTMP (it has a push key): ingest reads this loopback URL
   * (workers/rtmp pushInputFor) instead of pulling rtspUrl.
   */
  pushInputUrl?: string;
  /** false: stop ingest and report `disabled`. Default true. */
  enabled?: boolean;
  /** Audio is copied or dropped, never transcoded. Default 'drop' (G.711 does not fit MPEG-TS/MP4). */
  audio?: 'copy' | 'drop';
  /** 'h264' transcodes the live outputs (H.265 sub stream -> H.264); recording always copies. Default 'copy'. */
  liveVideo?: 'copy' | 'h264';
  /** The auth proxy may answer a camera that offers only Basic (an operator allowed it per camera). Default false. */
  allowBasicAuth?: boolean;
  /**
   * The camera's RTSP sub stream (pull cameras only): pulled on demand by workers/substream while
   * someone watches it, never by the ingest ffmpeg, so it is not part of specKey.
   */
  rtspSubUrl?: string;
}

/** Stable key: a change of any field restarts the camera's ingest (rtspSubUrl excepted: ingest does not read it). */
export function specKey(s: IngestCameraSpec): string {
  return JSON.stringify([s.rtspUrl, s.transport, s.credentials?.username, s.credentials?.password, s.recording, s.flvPublishUrl, s.enabled ?? true, s.audio, s.liveVideo, s.pushInputUrl ?? null, s.allowBasicAuth === true]);
}
