/**
 * One tile: the video, an overlay with the camera's name and the wall clock, its live status,
 * and what the player is doing. Selected with a click (or keys 1-9 / arrows on the page), full
 * screen on double-click, a camera dropped from the list (or another tile) lands here, and a
 * snapshot saves the current frame as PNG.
 *
 * `highlight` is the hook for alarms (another module): a tile whose camera has an open alarm is
 * drawn with a red frame and carries `data-highlight` (the reason), nothing else changes.
 */
import { memo, useEffect, useRef, useState, type DragEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { causeText } from '@web/i18n/cause';
import { navigate } from '@web/layout/useLocation';
import { playbackPath } from '@web/playback/timelineModel';
import type { WallCamera } from './cameraIndex';
import type { Layout, PlayMode, TileArea } from './layout';
import { wantsSub } from './streamChoice';
import type { TileState } from './recovery';
import { snapshotName, saveSnapshot } from './snapshot';
import { toggleFullscreen } from './fullscreen';
import { useTilePlayer } from './useTilePlayer';
import { WallClock } from './WallClock';

/** Drag payloads: a camera from the list, a tile's slot (moving a tile onto another swaps them). */
export const DRAG_CAMERA = 'application/x-skyeye-camera';
export const DRAG_SLOT = 'application/x-skyeye-slot';

export interface TileHighlight {
  /** Why (e.g. an alarm kind), shown as the tile's title and in data-highlight. */
  reason: string;
}

interface Props {
  index: number;
  /** The wall's layout: small tiles play a camera's sub stream (streamChoice.ts). */
  layout: Layout;
  area: TileArea;
  cameraId: string | null;
  /** undefined: loading; 'missing': deleted or not visible (the tile stays empty). */
  camera: WallCamera | 'missing' | undefined;
  mode: PlayMode;
  selected: boolean;
  /** Set by whoever raises alarms: the tile is drawn highlighted. */
  highlight?: TileHighlight | null;
  onSelect: (index: number) => void;
  onChoose: (index: number) => void;
  onDropCamera: (index: number, cameraId: string) => void;
  onSwap: (from: number, to: number) => void;
}

function overlayText(t: (k: string, o?: Record<string, unknown>) => string, cameraId: string | null, camera: Props['camera'], tile: TileState): string | null {
  if (!cameraId || camera === 'missing') return t('wall.empty');
  if (camera === undefined) return t('common.loading');
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

/** Whether `el` is the element in full screen now (the tile maximised). */
function useIsFullscreen(ref: RefObject<HTMLElement | null>): boolean {
  const [full, setFull] = useState(false);
  useEffect(() => {
    const on = () => setFull(document.fullscreenElement !== null && document.fullscreenElement === ref.current);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, [ref]);
  return full;
}

function WallTileView({ index, layout, area, cameraId, camera, mode, selected, highlight, onSelect, onChoose, onDropCamera, onSwap }: Props) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const tileRef = useRef<HTMLDivElement>(null);
  const cam = camera && camera !== 'missing' ? camera : null;
  // A camera the user may not see (or deleted) leaves the tile empty: nothing about it is shown.
  const shownId = cam ? cameraId : null;
  const fullscreen = useIsFullscreen(tileRef);
  const tile = useTilePlayer(shownId, cam ? cam.status : null, mode, videoRef, wantsSub(layout, index, fullscreen, mode));
  const overlay = overlayText(t, cameraId, camera, tile);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const id = e.dataTransfer.getData(DRAG_CAMERA);
    if (id) return onDropCamera(index, id);
    const from = e.dataTransfer.getData(DRAG_SLOT);
    if (from !== '') onSwap(Number(from), index);
  };
  const accepts = (e: DragEvent) => e.dataTransfer.types.includes(DRAG_CAMERA) || e.dataTransfer.types.includes(DRAG_SLOT);

  return (
    <div
      ref={tileRef}
      className={`wall-tile phase-${tile.phase}${selected ? ' selected' : ''}${highlight ? ' highlighted' : ''}`}
      style={{ gridRow: `${area.row} / span ${area.rowSpan}`, gridColumn: `${area.col} / span ${area.colSpan}` }}
      data-testid="wall-tile"
      data-index={index}
      data-camera-id={shownId ?? undefined}
      data-empty={!cameraId || camera === 'missing' || undefined}
      data-status={cam?.status}
      data-phase={tile.phase}
      data-stream={tile.stream ?? undefined}
      data-generation={tile.generation}
      data-last-error={tile.lastError ?? undefined}
      data-selected={selected || undefined}
      data-highlight={highlight?.reason}
      title={highlight?.reason}
      aria-selected={selected}
      role="gridcell"
      onClick={() => onSelect(index)}
      onDoubleClick={() => tileRef.current && void toggleFullscreen(tileRef.current)}
      onDragOver={(e) => {
        if (accepts(e)) e.preventDefault();
      }}
      onDrop={onDrop}
    >
      <video ref={videoRef} className="wall-video" data-testid="wall-video" muted autoPlay playsInline disablePictureInPicture />
      {overlay && (
        <div className="wall-overlay" role="status">
          {overlay}
        </div>
      )}
      {cam && (
        <div className="wall-caption" data-testid="wall-tile-caption">
          <span className="wall-caption-name">{cam.name}</span>
          <WallClock />
        </div>
      )}
      <div
        className="wall-bar"
        draggable={shownId !== null}
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_SLOT, String(index));
          e.dataTransfer.effectAllowed = 'move';
        }}
      >
        <span className="wall-name" title={cam?.name}>
          {index + 1}. {cam ? cam.name : t('wall.tileN', { n: index + 1 })}
        </span>
        {cam && (
          <span className={`badge status-${cam.status}`} data-testid="wall-tile-status" data-status={cam.status} title={causeText(t, cam.statusCause) ?? undefined}>
            <span className="badge-dot" aria-hidden="true" />
            {t(`status.${cam.status}`)}
          </span>
        )}
        {cam && shownId && (
          <>
            <button
              type="button"
              className="btn btn-sm wall-choose"
              data-testid="wall-tile-snapshot"
              title={t('wall.snapshot')}
              aria-label={t('wall.snapshot')}
              disabled={tile.phase !== 'playing'}
              onClick={(e) => {
                e.stopPropagation();
                if (videoRef.current) void saveSnapshot(videoRef.current, snapshotName(cam.name, new Date()));
              }}
            >
              {t('wall.snapshotShort')}
            </button>
            <button type="button" className="btn btn-sm wall-choose" data-testid="wall-tile-replay" title={t('playback.replay5')} onClick={() => navigate(playbackPath(shownId, Date.now() - 5 * 60_000))}>
              {t('playback.replay5')}
            </button>
          </>
        )}
        <button
          type="button"
          className="btn btn-sm wall-choose"
          data-testid="wall-tile-choose"
          onClick={(e) => {
            e.stopPropagation();
            onChoose(index);
          }}
        >
          {shownId ? t('wall.change') : t('wall.choose')}
        </button>
      </div>
    </div>
  );
}

export const WallTile = memo(WallTileView);
