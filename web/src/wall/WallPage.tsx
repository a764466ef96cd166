/** 实时监控: a wall of 1/4/9/16 live tiles, each with its own camera, in low-latency (FLV) or HLS mode. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraPicker } from './CameraPicker';
import { columnsOf, LAYOUTS, MODES, visibleSlots } from './layout';
import { useWallCameras } from './useWallCameras';
import { useWallSettings } from './useWallSettings';
import { WallTile } from './WallTile';

export function WallPage() {
  const { t } = useTranslation();
  const { wall, setLayout, setMode, assign } = useWallSettings();
  const slots = visibleSlots(wall);
  const cameras = useWallCameras(slots);
  const [picking, setPicking] = useState<number | null>(null);

  return (
    <section className="page wall" data-testid="wall-page" aria-labelledby="wall-title">
      <div className="page-head">
        <h1 id="wall-title">{t('wall.title')}</h1>
        <div className="page-actions">
          <div className="seg" role="group" aria-label={t('wall.layout')}>
            {LAYOUTS.map((n) => (
              <button key={n} type="button" className="btn btn-sm" data-testid={`wall-layout-${n}`} aria-pressed={wall.layout === n} onClick={() => setLayout(n)}>
                {t('wall.layoutN', { n })}
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
        </div>
      </div>

      <div className={`wall-grid cols-${columnsOf(wall.layout)}`}>
        {slots.map((id, i) => (
          <WallTile key={i} index={i} cameraId={id} camera={id ? cameras.get(id) : undefined} mode={wall.mode} onChoose={() => setPicking(i)} />
        ))}
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
