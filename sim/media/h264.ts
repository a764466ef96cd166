/** Minimal H.264 Annex B helpers (pure): split NAL units, find SPS/PPS for the SDP. */

export function splitAnnexB(buf: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let i = 0;
  let start = -1;
  while (i + 3 <= buf.length) {
    const sc3 = buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1;
    const sc4 = i + 4 <= buf.length && buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 0 && buf[i + 3] === 1;
    if (sc3 || sc4) {
      if (start >= 0) nals.push(buf.subarray(start, i));
      i += sc4 ? 4 : 3;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start >= 0 && start < buf.length) nals.push(buf.subarray(start));
  // trailing zero bytes belong to the next start code, strip them
  return nals.map((n) => {
    let end = n.length;
    while (end > 0 && n[end - 1] === 0) end -= 1;
    return n.subarray(0, end);
  }).filter((n) => n.length > 0);
}

export interface ParameterSets {
  sps: Buffer;
  pps: Buffer;
}

export function findParameterSets(annexB: Buffer): ParameterSets {
  let sps: Buffer | undefined;
  let pps: Buffer | undefined;
  for (const n of splitAnnexB(annexB)) {
    const type = n[0]! & 0x1f;
    if (type === 7 && !sps) sps = n;
    if (type === 8 && !pps) pps = n;
  }
  if (!sps || !pps) throw new Error('no SPS/PPS found in H.264 stream');
  return { sps, pps };
}

/** profile-level-id: profile_idc, constraint flags, level_idc as 6 hex digits. */
export function profileLevelId(sps: Buffer): string {
  return sps.subarray(1, 4).toString('hex').toUpperCase();
}

export function spropParameterSets(ps: ParameterSets): string {
  return `${ps.sps.toString('base64')},${ps.pps.toString('base64')}`;
}
