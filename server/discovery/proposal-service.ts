/**
 * Proposals re-discovery made for registry cameras: listed for staff, applied or dismissed only by
 * an operator. Applying writes the camera through the cameras service (validation, version check,
 * audit) in the same transaction as the decision and its own audit entry. A stream on another
 * host than the device needs `approveForeignMediaHost`, and then the camera loses its credentials
 * (they are never sent to a host other than the camera's).
 */
import type { AppContext } from '@server/context';
import { recordAudit } from '@server/audit/audit-repository';
import type { Actor, CamerasService } from '@server/cameras/index';
import type { Camera } from '@server/cameras/schemas';
import { conflict, notFound, unprocessable } from '@server/http/problem';
import { proposalView, type Changes, type DiscoveryRepository } from './discovery-repository';
import { proposalPatch } from './rediscovery';

export function proposalService(ctx: AppContext, repo: DiscoveryRepository, cameras: CamerasService) {
  async function decide(actor: Actor, id: string, status: 'applied' | 'dismissed', o: { version?: number; approveForeignMediaHost?: boolean }) {
    let camera: Camera | undefined;
    const org = await cameras.orgIndex();
    const out = await ctx.database.db.transaction(async (tx) => {
      const p = await repo.lockProposal(tx, id);
      if (!p) throw notFound('Proposal');
      if (p.status !== 'open') throw conflict(`The proposal was already ${p.status}.`);
      const [device] = p.deviceId ? await repo.getDevices([p.deviceId], tx) : [];
      if (status === 'applied') {
        const patch: Record<string, unknown> = proposalPatch(p.changes as Changes);
        if (device?.mediaHostMismatch) {
          if (o.approveForeignMediaHost !== true) {
            throw unprocessable('The proposed stream URI names another host than the device.', [{ field: 'approveForeignMediaHost', message: 'approve the other host explicitly; the camera then keeps no credentials' }]);
          }
          patch.credentials = null;
        }
        if (Object.keys(patch).length > 0) camera = await cameras.updateInTx(tx, actor, org, p.cameraId, patch, o.version, { via: 'discovery-proposal', proposalId: p.id });
      }
      const row = await repo.decideProposal(tx, id, status, actor.user.id, ctx.clock.now());
      await recordAudit(tx, actor.audit, {
        action: status === 'applied' ? 'discovery.proposal.apply' : 'discovery.proposal.dismiss',
        targetType: 'camera',
        targetId: p.cameraId,
        details: { proposalId: p.id, kind: p.kind, address: p.address, fields: Object.keys(p.changes as Changes).sort() },
      });
      return proposalView(row, device);
    });
    if (camera) ctx.bus.publish('camera:updated', { id: camera.id, ownerUserId: camera.owner?.userId ?? null, camera });
    return out;
  }

  return {
    async list(status?: 'open' | 'applied' | 'dismissed', limit = 200) {
      return (await repo.listProposals(status, limit)).map(({ p, d }) => proposalView(p, d ?? undefined));
    },
    apply: (actor: Actor, id: string, o: { version?: number; approveForeignMediaHost?: boolean } = {}) => decide(actor, id, 'applied', o),
    dismiss: (actor: Actor, id: string) => decide(actor, id, 'dismissed', {}),
  };
}

export type ProposalService = ReturnType<typeof proposalService>;
