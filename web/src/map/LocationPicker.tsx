/**
 * Pick a point on the map (a merchant placing their camera): a click puts the pin there, the pin
 * can be dragged, and "use my location" asks the browser where allowed. Same base layer as the
 * camera map (tiles when configured, else the demo town). Reports the point in WGS-84 with 6
 * decimals: on GCJ-02 tiles the pin is drawn through the projection's toMap and a click or drag is
 * read back through fromMap (projection.ts); the browser's own location is WGS-84 already.
 */
import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useTranslation } from 'react-i18next';
import { getMapSettings } from '@web/api/map';
import { DEMO_TOWN_CENTER } from './demoTown';
import { baseLayer } from './layers';
import { IDENTITY, mapLatLng, projectionFor, type MapProjection } from './projection';

interface Props {
  /** The point in the form, if it parses. */
  value: { lat: number; lon: number } | null;
  onPick(point: { lat: number; lon: number }): void;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

export function LocationPicker({ value, onPick }: Props) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const pin = useRef<L.Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const valueRef = useRef(value);
  valueRef.current = value;
  const [locating, setLocating] = useState<'idle' | 'busy' | 'denied'>('idle');
  // Identity until the settings say the tiles are GCJ-02 (the demo town is drawn as stored).
  const [proj, setProj] = useState<MapProjection>(IDENTITY);
  const projRef = useRef(proj);
  projRef.current = proj;
  /** A point read from the map (a click, the dragged pin), as WGS-84 to store. */
  const pickFromMap = (p: L.LatLng) => {
    const w = projRef.current.fromMap(p.lat, p.lng);
    pick.current({ lat: round(w.lat), lon: round(w.lon) });
  };
  const fromMap = useRef(pickFromMap);
  fromMap.current = pickFromMap;

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { center: value ? [value.lat, value.lon] : DEMO_TOWN_CENTER, zoom: 16, minZoom: 3, maxZoom: 19 });
    map.current = m;
    const ctrl = new AbortController();
    let base = baseLayer(null, t).addTo(m);
    void getMapSettings(ctrl.signal)
      .then((s) => {
        if (!s.tileUrl) return;
        base.remove();
        base = baseLayer(s, t).addTo(m);
        setProj(projectionFor(s));
      })
      .catch(() => undefined);
    m.on('click', (e: L.LeafletMouseEvent) => fromMap.current(e.latlng));
    // Built inside a dialog that is still being laid out: follow the element's real size.
    const resized = new ResizeObserver(() => m.invalidateSize());
    resized.observe(el.current);
    return () => {
      resized.disconnect();
      ctrl.abort();
      m.remove();
      map.current = null;
      pin.current = null;
    };
    // The map is built once; the pin follows `value` below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m || !value) return;
    const at = mapLatLng(proj, value);
    if (!pin.current) {
      pin.current = L.marker(at, {
        draggable: true,
        icon: L.divIcon({ className: 'pick-pin', html: '', iconSize: [18, 18], iconAnchor: [9, 18] }),
        keyboard: false,
      }).addTo(m);
      pin.current.on('dragend', () => fromMap.current(pin.current!.getLatLng()));
    } else pin.current.setLatLng(at);
  }, [value, proj]);

  // The view opened on the stored point as drawn on the plain background: follow it onto GCJ-02 tiles.
  useEffect(() => {
    if (proj !== IDENTITY && valueRef.current) map.current?.panTo(mapLatLng(proj, valueRef.current));
  }, [proj]);

  const locate = () => {
    if (!navigator.geolocation) return setLocating('denied');
    setLocating('busy');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating('idle');
        const point = { lat: round(p.coords.latitude), lon: round(p.coords.longitude) };
        pick.current(point);
        // The browser reports WGS-84: stored as is, shown through the projection.
        map.current?.setView(mapLatLng(projRef.current, point), 17);
      },
      () => setLocating('denied'),
      { timeout: 10_000, maximumAge: 60_000 },
    );
  };

  return (
    <div className="location-picker">
      <div ref={el} className="location-picker-map" data-testid="location-picker" role="application" aria-label={t('picker.label')} />
      <div className="location-picker-bar">
        <span className="field-hint">{t('picker.hint')}</span>
        <button type="button" className="btn btn-sm" data-testid="location-mine" disabled={locating === 'busy'} onClick={locate}>
          {t('picker.mine')}
        </button>
        {locating === 'denied' && <span className="field-hint" role="status">{t('picker.denied')}</span>}
      </div>
    </div>
  );
}
