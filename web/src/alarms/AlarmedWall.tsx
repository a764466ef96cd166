/** The live wall with every tile whose camera has an open alarm highlighted (the alarm's kind as the reason). */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { WallPage } from '@web/wall/WallPage';
import type { TileHighlight } from '@web/wall/WallTile';
import { useAlarms } from './AlarmsProvider';

export function AlarmedWall() {
  const { t } = useTranslation();
  const { openByCamera } = useAlarms();
  const highlights = useMemo(() => {
    const out = new Map<string, TileHighlight>();
    for (const [cameraId, alarms] of openByCamera) {
      const latest = alarms[0];
      if (latest) out.set(cameraId, { reason: t(`alarms.kind.${latest.kind}`) });
    }
    return out;
  }, [openByCamera, t]);
  return <WallPage highlights={highlights} />;
}
