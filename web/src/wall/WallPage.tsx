/**
 * 实时监控 / the video wall: layouts 1/4/9/16/25 and 1+5/1+7, each tile with its own camera, in
 * low-latency (FLV over WebSocket) or HLS mode. Opened from `/wall?layout=N&cameras=...&mode=ll|hls`
 * or the remembered wall; cameras come from the list (drag or click), the picker, a group (fill),
 * a saved wall, or a tour. Keyboard: 1-9 select, arrows move, F full screen, Enter tile full screen.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraList } from './CameraList';
import { CameraPicker } from './CameraPicker';
import { geometryOf, LAYOUTS, layoutLabel, MODES } from './layout';
import { toggleFullscreen } from './fullscreen';
import { useWallCameras } from './useWallCameras';
import { useWallKeys } from './useWallKeys';
import { useWallSettings } from './useWallSettings';
import { visibleSlots } from './wallState';
import { WallTile, type TileHighlight } from './WallTile';
import { WallTools } from './WallTools';

interface Props {
  /** Per camera id: why its tile is highlighted (the alarms module provides it). */
  highlights?: ReadonlyMap<string, TileHighlight>;
}

export function WallPage({ highlights }: Props) {
  const { t } = useTranslation();
  const settings = useWallSettings();
  const { wall, setLayout, setMode, assign, swap } = settings;
  const slots = visibleSlots(wall);
  const cameras = useWallCameras(slots);
  const geometry = geometryOf(wall.layout);
  const [picking, setPicking] = useState<number | null>(null);
  const [selected, setSelected] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);
  const sel = Math.min(selected, wall.layout - 1);

  useWallKeys(wall.layout, sel, setSelected, gridRef);
  const onChoose = useCallback((i: number) => setPicking(i), []);
  const onDropCamera = useCallback((i: number, id: string) => {
    assign(i, id);
    setSelected(i);
  }, [assign]);
  const onWall = useMemo(() => new Set(slots.filter((s): s is string => s !== null)), [slots]);

  return (
    <section className="page wall" data-testid="wall-page" aria-labelledby="wall-title">
      <div className="page-head">
        <h1 id="wall-title">{t('wall.title')}</h1>
        <div className="page-actions">
          <div className="seg" role="group" aria-label={t('wall.layout')}>
            {LAYOUTS.map((n) => (
              <button key={n} type="button" className="btn btn-sm" data-testid={`wall-layout-${n}`} aria-pressed={wall.layout === n} onClick={() => setLayout(n)}>
                {layoutLabel(n)}
              </button>
            ))}
          </div>
          <div className="seg" role="group" aria-label={t('wall.mode')}>
            {MODES.map((m) => (
              <button key={m} type="button" className="btn btn-sm" data-testid={`wall-mode-${m}`} aria-pressed={wall.mode === m} title={t(`wall.modeHint.${m}`)} onClick={() => setMode(m)}>
                {t(`wall.modeName.${m}`)}
              </button>
            ))}
          </div>
          <button type="button" className="btn btn-sm" data-testid="wall-fullscreen" title={t('wall.fullscreenHint')} onClick={() => gridRef.current && void toggleFullscreen(gridRef.current)}>
            {t('wall.fullscreen')}
          </button>
        </div>
      </div>
      <WallTools settings={settings} />

      <div className="wall-body">
        <CameraList onWall={onWall} onPick={(id) => assign(sel, id)} />
        <div
          ref={gridRef}
          className="wall-grid"
          role="grid"
          aria-label={t('wall.title')}
          data-testid="wall-grid"
          data-layout={wall.layout}
          style={{ gridTemplateColumns: `repeat(${geometry.columns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${geometry.columns}, minmax(0, 1fr))` }}
        >
          {/* One ARIA row holding every tile (display: contents: the tiles stay the grid's items). */}
          <div role="row" className="wall-row">
            {slots.map((id, i) => (
              <WallTile
                key={i}
                index={i}
                layout={wall.layout}
                area={geometry.areas[i]!}
                cameraId={id}
                camera={id ? cameras.get(id) : undefined}
                mode={wall.mode}
                selected={i === sel}
                highlight={id ? (highlights?.get(id) ?? null) : null}
                onSelect={setSelected}
                onChoose={onChoose}
                onDropCamera={onDropCamera}
                onSwap={swap}
              />
            ))}
          </div>
        </div>
      </div>

      <CameraPicker
        open={picking !== null}
        current={picking !== null ? (wall.slots[picking] ?? null) : null}
        onClose={() => setPicking(null)}
        onPick={(id) => {
          if (picking !== null) assign(picking, id);
          setPicking(null);
        }}
      />
    </section>
  );
}
