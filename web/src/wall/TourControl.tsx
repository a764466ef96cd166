/** Tour mode: cycle the wall through chosen saved walls every N seconds (tour.ts holds the logic). */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedWall } from '@web/api/walls';
import { advanceTour, currentGroup, pruneTour, startTour, tourSeconds, type TourState } from './tour';

interface Props {
  saved: readonly SavedWall[];
  onShow: (wall: SavedWall) => void;
}

const TICK_MS = 500;

export function TourControl({ saved, onShow }: Props) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<string[]>([]);
  const [seconds, setSeconds] = useState('30');
  const [tour, setTour] = useState<TourState | null>(null);
  const [warn, setWarn] = useState(false);
  const byId = new Map(saved.map((s) => [s.id, s]));

  // Saved walls deleted meanwhile leave the tour.
  useEffect(() => {
    const ids = new Set(saved.map((s) => s.id));
    setTour((cur) => (cur ? pruneTour(cur, (id) => ids.has(id)) : cur));
  }, [saved]);

  const shown = tour ? currentGroup(tour) : null;
  const step = tour?.nextAt;
  const savedRef = useRef(saved);
  savedRef.current = saved;
  const showRef = useRef(onShow);
  showRef.current = onShow;
  // Put the current group on the wall when the tour starts and each time it moves on.
  useEffect(() => {
    const wall = shown ? savedRef.current.find((s) => s.id === shown) : undefined;
    if (wall) showRef.current(wall);
  }, [shown, step]);

  const running = tour !== null;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setTour((cur) => (cur ? advanceTour(cur, Date.now()) : cur)), TICK_MS);
    return () => window.clearInterval(timer);
  }, [running]);

  const toggle = () => {
    if (tour) return setTour(null);
    const next = startTour(picked.filter((id) => byId.has(id)), tourSeconds(seconds), Date.now());
    setWarn(next === null);
    setTour(next);
  };

  return (
    <fieldset data-testid="wall-tour">
      <legend>{t('wall.tour.label')}</legend>
      <details>
        <summary>{t('wall.tour.groups')}</summary>
        <ul className="wall-tour-groups">
          {saved.map((s) => (
            <li key={s.id}>
              <label>
                <input
                  type="checkbox"
                  data-testid="wall-tour-group"
                  checked={picked.includes(s.id)}
                  onChange={(e) => setPicked((p) => (e.target.checked ? [...p, s.id] : p.filter((x) => x !== s.id)))}
                />{' '}
                {s.name}
              </label>
            </li>
          ))}
        </ul>
      </details>
      <label>
        {t('wall.tour.every')}{' '}
        <input type="number" data-testid="wall-tour-seconds" min={5} max={3600} value={seconds} onChange={(e) => setSeconds(e.target.value)} style={{ width: '5em' }} />
      </label>
      <button type="button" className="btn btn-sm" data-testid="wall-tour-toggle" aria-pressed={tour !== null} onClick={toggle}>
        {tour ? t('wall.tour.stop') : t('wall.tour.start')}
      </button>
      {tour && shown && (
        <span className="wall-tour-status" role="status" data-testid="wall-tour-status">
          {t('wall.tour.running', { name: byId.get(shown)?.name ?? '', n: tour.at + 1, total: tour.groups.length })}
        </span>
      )}
      {warn && !tour && <span className="wall-tools-note">{t('wall.tour.needOne')}</span>}
    </fieldset>
  );
}
