/**
 * State of the re-discovery proposals list (pure): open proposals newest first, which ones have a
 * decision in flight, and the body an apply sends (a stream on another host needs the operator's
 * explicit approval; the camera then keeps no credentials).
 */
import type { DiscoveryProposalView } from '@common/discovery';
import type { ApplyProposalRequest } from '@web/api/discovery';
import { changeFlags, type ChangeFlag } from './deviceFormat';

export interface ProposalsState {
  items: DiscoveryProposalView[];
  busy: ReadonlySet<string>;
}

export type ProposalAction =
  | { type: 'loaded'; items: DiscoveryProposalView[] }
  | { type: 'busy'; id: string }
  | { type: 'decided'; proposal: DiscoveryProposalView }
  | { type: 'failed'; id: string };

export const initialProposals: ProposalsState = { items: [], busy: new Set() };

const newestFirst = (a: DiscoveryProposalView, b: DiscoveryProposalView) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);

export function proposalsReducer(s: ProposalsState, a: ProposalAction): ProposalsState {
  switch (a.type) {
    case 'loaded': {
      const items = a.items.filter((p) => p.status === 'open').sort(newestFirst);
      const ids = new Set(items.map((p) => p.id));
      return { items, busy: new Set([...s.busy].filter((id) => ids.has(id))) };
    }
    case 'busy':
      return s.items.some((p) => p.id === a.id) ? { ...s, busy: new Set([...s.busy, a.id]) } : s;
    case 'decided': {
      const busy = new Set(s.busy);
      busy.delete(a.proposal.id);
      const items = a.proposal.status === 'open' ? s.items.map((p) => (p.id === a.proposal.id ? a.proposal : p)) : s.items.filter((p) => p.id !== a.proposal.id);
      return { items, busy };
    }
    case 'failed': {
      const busy = new Set(s.busy);
      busy.delete(a.id);
      return { ...s, busy };
    }
  }
}

/** What a row shows: the fields that differ (old -> new) and its warnings. */
export function proposalRow(p: DiscoveryProposalView): { changes: ChangeFlag[]; identityClash: boolean; foreignHost: boolean } {
  return { changes: changeFlags(p), identityClash: p.kind === 'identity_clash', foreignHost: p.mediaHostMismatch };
}

/** The apply body, or null while a foreign stream host still needs the operator's approval. */
export function applyRequest(p: DiscoveryProposalView, approvedForeignHost: boolean): ApplyProposalRequest | null {
  if (!p.mediaHostMismatch) return {};
  return approvedForeignHost ? { approveForeignMediaHost: true } : null;
}
