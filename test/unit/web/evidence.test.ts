/** The evidence console's pure model: live clip updates, the clip form, legal-hold state, clip:progress payloads. */
import { expect } from 'chai';
import type { Clip } from '@web/api/clips';
import { applyClipEvent, attachedClipIds, clipFormErrors, clipRequestOf, holdState, upsertClip } from '@web/evidence/evidenceModel';
import { parseIncidentPath } from '@web/incidents/incidentModel';
import { toClipEvent } from '@web/realtime/clipEvents';
import type { EvidenceItem } from '@web/api/evidence';

const clip = (id: string, o: Partial<Clip> = {}): Clip => ({
  id, incidentId: 'i1', cameraId: 'c1', status: 'queued', progress: 0, requestedFrom: '2026-11-30T10:00:00.000Z', requestedTo: '2026-11-30T10:01:00.000Z',
  actualFrom: null, actualTo: null, partial: false, gaps: [], sha256: null, bytes: null, error: null, ...o,
});
const ev = (clipId: string, status: Clip['status'], progress = 0.5) => ({ clipId, incidentId: 'i1', cameraId: 'c1', status, progress });

describe('web/evidence model', () => {
  it('applies clip:progress: progress in place, fetch when unknown or just ended, never back from an end', () => {
    const list = [clip('a'), clip('b', { status: 'done', progress: 1 })];
    const running = applyClipEvent(list, ev('a', 'running', 0.4));
    expect(running.fetch).to.equal(false);
    expect(running.clips[0]).to.include({ status: 'running', progress: 0.4 });
    expect(applyClipEvent(list, ev('a', 'done', 1)).fetch, 'hash and bounds come with the clip').to.equal(true);
    expect(applyClipEvent(list, ev('x', 'running')).fetch, 'a clip from another tab').to.equal(true);
    const late = applyClipEvent(list, ev('b', 'running', 0.9));
    expect(late.clips[1]).to.include({ status: 'done', progress: 1 });
    expect(upsertClip(list, clip('b', { sha256: 'f'.repeat(64) }))[1]!.sha256).to.equal('f'.repeat(64));
    expect(upsertClip(list, clip('c'))).to.have.length(3);
  });

  it('checks the clip form and sends one request for all cameras', () => {
    expect(clipFormErrors({ cameraIds: [], from: '2026-11-30T10:00:00', to: '2026-11-30T09:00:00' })).to.deep.equal({ cameraIds: 'clips.v.camera', to: 'incidents.v.order' });
    const f = { cameraIds: ['c1', 'c2'], from: '2026-11-30T10:00:05', to: '2026-11-30T10:01:00' };
    expect(clipFormErrors(f)).to.deep.equal({});
    const r = clipRequestOf(f);
    expect(r.cameraIds).to.deep.equal(['c1', 'c2']);
    expect(Date.parse(r.to) - Date.parse(r.from)).to.equal(55_000);
  });

  it('says the legal-hold state and which clips are in the evidence', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(holdState({ holdId: null, holdExpiresAt: null }, now)).to.equal('none');
    expect(holdState({ holdId: 'h', holdExpiresAt: null }, now)).to.equal('held');
    expect(holdState({ holdId: 'h', holdExpiresAt: '2027-01-01T00:00:00Z' }, now)).to.equal('until');
    expect(holdState({ holdId: 'h', holdExpiresAt: '2026-01-01T00:00:00Z' }, now)).to.equal('expired');
    expect([...attachedClipIds([{ clipId: 'a' }, { clipId: null }] as EvidenceItem[])]).to.deep.equal(['a']);
  });

  it('trusts only well-formed clip:progress payloads; /incidents/verify is no incident', () => {
    expect(toClipEvent(ev('a', 'running', 2))).to.deep.equal(ev('a', 'running', 1));
    expect(toClipEvent({ ...ev('a', 'running'), status: 'exploded' })).to.equal(null);
    expect(toClipEvent({ clipId: 'a' })).to.equal(null);
    expect(toClipEvent(null)).to.equal(null);
    expect(parseIncidentPath('/incidents/verify')).to.equal(null);
  });
});
