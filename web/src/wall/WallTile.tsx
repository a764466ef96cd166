/** One tile: the video, the camera's name and live status, and what the player is doing. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { WallCamera } from './cameraIndex';
import type { PlayMode } from './layout';
import type { TileState } from './recovery';
import { useTilePlayer } from './useTilePlayer';

interface Props {
  index: number;
  cameraId: string | null;
  /** undefined: loading; 'missing': deleted or not visible. */
  camera: WallCamera | 'missing' | undefined;
  mode: PlayMode;
  onChoose: () => void;
}

function overlayText(t: (k: string, o?: Record<string, unknown>) => string, cameraId: string | null, camera: Props['camera'], tile: TileState): string | null {
  if (!cameraId) return t('wall.empty');
  if (camera === undefined) return t('common.loading');
  if (camera === 'missing') return t('wall.missing');
  switch (tile.phase) {
    case 'empty':
    case 'playing':
      return null;
    case 'waiting':
      return t('wall.waiting', { status: t(`status.${camera.status}`) });
    case 'connecting':
      return t('wall.connecting');
    case 'retrying':
      return t('wall.retrying', { seconds: Math.round((tile.retryInMs ?? 0) / 1000) });
  }
}

export function WallTile({ index, cameraId, camera, mode, onChoose }: Props) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const cam = camera && camera !== 'missing' ? camera : null;
  const tile = useTilePlayer(cam ? cameraId : null, cam ? cam.status : null, mode, videoRef);
  const overlay = overlayText(t, cameraId, camera, tile);

  return (
    <div
      className={`wall-tile phase-${tile.phase}`}
      data-testid="wall-tile"
      data-index={index}
      data-camera-id={cameraId ?? undefined}
      data-status={cam?.status}
      data-phase={tile.phase}
      data-generation={tile.generation}
      data-last-error={tile.lastError ?? undefined}
    >
      <video ref={videoRef} className="wall-video" data-testid="wall-video" muted autoPlay playsInline disablePictureInPicture />
      {overlay && (
        <div className="wall-overlay" role="status">
          {overlay}
        </div>
      )}
      <div className="wall-bar">
        <span className="wall-name" title={cam?.name}>
          {cam ? cam.name : t('wall.tileN', { n: index + 1 })}
        </span>
        {cam && (
          <span className={`badge status-${cam.status}`} data-testid="wall-tile-status" data-status={cam.status} title={cam.statusCause ?? undefined}>
            <span className="badge-dot" aria-hidden="true" />
            {t(`status.${cam.status}`)}
          </span>
        )}
        <button type="button" className="btn btn-sm wall-choose" data-testid="wall-tile-choose" onClick={onChoose}>
          {cameraId ? t('wall.change') : t('wall.choose')}
        </button>
      </div>
    </div>
  );
}
