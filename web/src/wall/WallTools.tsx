/**
 * The wall's tool row: fill from a group, saved walls (open, save, share, delete, copy link) and
 * tour mode. Holds the saved-wall list (GET /api/v1/walls) and the organisation units they use.
 */
import { useCallback, useEffect, useState } from 'react';
import { EMPTY_ORG, getOrg } from '@web/api/org';
import type { Org } from '@web/api/types';
import { listWalls, type SavedWall } from '@web/api/walls';
import { useSession } from '@web/auth/SessionContext';
import { FillControl } from './FillControl';
import { fromSaved } from './savedWall';
import { SavedWalls } from './SavedWalls';
import { TourControl } from './TourControl';
import type { useWallSettings } from './useWallSettings';

interface Props {
  settings: ReturnType<typeof useWallSettings>;
}

export function WallTools({ settings }: Props) {
  const { wall, setWall, fill } = settings;
  const { state } = useSession();
  const [org, setOrg] = useState<Org>(EMPTY_ORG);
  const [saved, setSaved] = useState<SavedWall[]>([]);
  const [epoch, setEpoch] = useState(0);
  const canShare = state.kind === 'signed-in' && state.user.role !== 'merchant';

  useEffect(() => {
    const ctrl = new AbortController();
    getOrg(ctrl.signal).then(setOrg, () => undefined);
    return () => ctrl.abort();
  }, []);
  useEffect(() => {
    const ctrl = new AbortController();
    listWalls(ctrl.signal).then((r) => setSaved(r.items), () => undefined);
    return () => ctrl.abort();
  }, [epoch]);

  const open = useCallback((s: SavedWall) => setWall(fromSaved(s)), [setWall]);

  return (
    <div className="wall-tools" data-testid="wall-tools">
      <FillControl org={org} saved={saved} onFill={fill} onOpenSaved={open} />
      <SavedWalls org={org} saved={saved} wall={wall} canShare={canShare} onOpen={open} onChanged={() => setEpoch((n) => n + 1)} />
      <TourControl saved={saved} onShow={open} />
    </div>
  );
}
