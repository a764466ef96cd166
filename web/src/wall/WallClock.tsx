/** The wall clock on a tile (local time, seconds), ticking on its own so the tile does not re-render. */
import { useEffect, useState } from 'react';

const fmt = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

export function WallClock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(t);
  }, []);
  return (
    <time className="wall-clock" dateTime={now.toISOString()} data-testid="wall-clock">
      {fmt(now)}
    </time>
  );
}
