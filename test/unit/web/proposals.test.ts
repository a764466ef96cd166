/** Discovery page: the re-discovery proposals list (state, rows, apply body, translations). */
import { expect } from 'chai';
import type { DiscoveryProposalView } from '@common/discovery';
import { applyRequest, initialProposals, proposalRow, proposalsReducer } from '@web/discovery/proposals';
import { expectKey } from './i18n-keys';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const CAM = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

function proposal(over: Partial<DiscoveryProposalView> = {}): DiscoveryProposalView {
  return {
    id: P1,
    cameraId: CAM,
    deviceId: null,
    kind: 'change',
    address: '127.0.10.3',
    endpoint: 'urn:uuid:cam-1',
    changes: { firmware: { from: '1.0', to: '1.1' }, address: { from: '127.0.10.2', to: '127.0.10.3' } },
    mediaHostMismatch: false,
    status: 'open',
    createdAt: '2025-01-01T00:00:00.000Z',
    decidedAt: null,
    ...over,
  };
}

describe('web/discovery proposals', () => {
  it('lists open proposals newest first and drops decided ones', () => {
    const older = proposal();
    const newer = proposal({ id: P2, createdAt: '2025-01-02T00:00:00.000Z' });
    let s = proposalsReducer(initialProposals, { type: 'loaded', items: [older, newer, proposal({ id: 'x', status: 'applied' })] });
    expect(s.items.map((p) => p.id)).to.deep.equal([P2, P1]);
    s = proposalsReducer(s, { type: 'busy', id: P1 });
    expect(s.busy.has(P1)).to.equal(true);
    s = proposalsReducer(s, { type: 'busy', id: 'unknown' });
    expect([...s.busy]).to.deep.equal([P1]);
    s = proposalsReducer(s, { type: 'decided', proposal: { ...older, status: 'dismissed' } });
    expect(s.items.map((p) => p.id)).to.deep.equal([P2]);
    expect(s.busy.size).to.equal(0);
  });

  it('a failed decision keeps the proposal and frees its buttons; a reload forgets vanished ones', () => {
    let s = proposalsReducer(initialProposals, { type: 'loaded', items: [proposal()] });
    s = proposalsReducer(proposalsReducer(s, { type: 'busy', id: P1 }), { type: 'failed', id: P1 });
    expect(s.items).to.have.length(1);
    expect(s.busy.size).to.equal(0);
    s = proposalsReducer(proposalsReducer(s, { type: 'busy', id: P1 }), { type: 'loaded', items: [] });
    expect(s.items).to.deep.equal([]);
    expect(s.busy.size).to.equal(0);
  });

  it('a row shows each difference old -> new in a fixed order, and the identity-clash and other-host flags', () => {
    const row = proposalRow(proposal({ kind: 'identity_clash', mediaHostMismatch: true }));
    expect(row.identityClash).to.equal(true);
    expect(row.foreignHost).to.equal(true);
    expect(row.changes.map((c) => [c.field, c.from, c.to])).to.deep.equal([
      ['address', '127.0.10.2', '127.0.10.3'],
      ['firmware', '1.0', '1.1'],
    ]);
    for (const c of row.changes) expectKey(c.key);
    expect(proposalRow(proposal()).identityClash).to.equal(false);
  });

  it('applying a stream on another host needs explicit approval', () => {
    expect(applyRequest(proposal(), false)).to.deep.equal({});
    expect(applyRequest(proposal({ mediaHostMismatch: true }), false)).to.equal(null);
    expect(applyRequest(proposal({ mediaHostMismatch: true }), true)).to.deep.equal({ approveForeignMediaHost: true });
  });

  it('has every label in both languages', () => {
    for (const k of ['title', 'camera', 'changes', 'found', 'clash', 'clashHint', 'foreignHost', 'confirmForeign', 'apply', 'dismiss', 'empty']) expectKey(`discovery.proposals.${k}`);
  });
});
