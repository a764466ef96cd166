/** SDP for one H.264 video track (pure). */
export interface SdpInput {
  /** Address the session is served from (o= and c= lines). */
  address: string;
  sessionId: string;
  name: string;
  payloadType: number;
  sprop: string;
  profileLevelId: string;
  width: number;
  height: number;
  fps: number;
}

export function buildSdp(i: SdpInput): string {
  const lines = [
    'v=0',
    `o=- ${i.sessionId} 1 IN IP4 ${i.address}`,
    `s=${i.name}`,
    `c=IN IP4 0.0.0.0`,
    't=0 0',
    'a=tool:skyeye-sim',
    'a=range:npt=0-',
    'a=control:*',
    `m=video 0 RTP/AVP ${i.payloadType}`,
    `a=rtpmap:${i.payloadType} H264/90000`,
    `a=fmtp:${i.payloadType} packetization-mode=1;profile-level-id=${i.profileLevelId};sprop-parameter-sets=${i.sprop}`,
    `a=framerate:${i.fps}`,
    `a=x-dimensions:${i.width},${i.height}`,
    'a=control:trackID=0',
    'a=recvonly',
  ];
  return lines.join('\r\n') + '\r\n';
}
