/**
 * The one Leaflet map of cameras (the map page and the incident detail use it). Base layer: the
 * configured tile server, or the demo town on a plain background (offline). Cameras are markers
 * shaped by kind and coloured by status; below CLUSTER_UNTIL_ZOOM nearby markers merge into
 * counted clusters (a click zooms in). An optional incident point and search radius are drawn.
 * In selection mode a drag draws a circle (centre and radius) or a rectangle (two corners).
 * Positions are WGS-84; every one shown goes through the projection's toMap and every one read
 * from the map (a drawn area) through fromMap, so they sit right on GCJ-02 tiles (projection.ts).
 * Nothing is drawn before the settings say which projection applies.
 */
import { useEffect, useMemo, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useTranslation } from 'react-i18next';
import { useUser } from '@web/auth/SessionContext';
import type { MapSettings } from '@web/api/map';
import type { Camera } from '@web/api/types';
import { DEMO_TOWN_CENTER } from './demoTown';
import { baseLayer, cameraMarker, clusterMarker, type PopupActions } from './layers';
import { CLUSTER_CELL_PX, CLUSTER_UNTIL_ZOOM, clusterPoints, rectBetween, type MapArea, type SelectShape } from './mapModel';
import { areaFromMap, areaToMap, mapLatLng, projectionFor } from './projection';

interface Props extends PopupActions {
  cameras: readonly Camera[];
  settings: MapSettings | null;
  /** The incident's point and search radius (metres), shown and framed. */
  incident?: { lat: number; lon: number; radius: number } | null;
  testId?: string;
  /** While set, a drag draws this shape (the map does not pan); the area goes to onSelectArea. */
  selecting?: SelectShape | null;
  onSelectArea?(area: MapArea): void;
  /** The selected area, drawn until cleared. */
  selection?: MapArea | null;
}

export function CameraMap({ cameras, settings, incident, onOpenLive, onOpenPlayback, testId = 'camera-map', selecting = null, onSelectArea, selection }: Props) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const markers = useRef<L.LayerGroup | null>(null);
  const role = useUser().role;
  const staff = role === 'admin' || role === 'operator';
  // A still only of a live camera (one that answers), for those who may fetch one.
  const thumbnail = (c: Camera) => (staff && c.status === 'live' && c.rtspUrl ? `/api/v1/cameras/${c.id}/preview.jpg` : null);
  const actions = useRef<PopupActions>({ onOpenLive, onOpenPlayback, thumbnail });
  actions.current = { onOpenLive, onOpenPlayback, thumbnail };
  const framed = useRef(false);
  const openCamera = useRef<string | null>(null);
  const shown = useRef(cameras);
  shown.current = cameras;
  const proj = useMemo(() => projectionFor(settings), [settings]);
  const projRef = useRef(proj);
  projRef.current = proj;

  /** Frames every camera shown (and the incident's circle). */
  const fitAll = () => {
    const m = map.current;
    if (!m) return;
    const points = shown.current.map((c) => mapLatLng(proj, c.location));
    let bounds = points.length > 0 ? L.latLngBounds(points).pad(0.1) : null;
    if (incident) {
      const circle = L.latLng(mapLatLng(proj, incident)).toBounds(incident.radius * 2.2);
      bounds = bounds ? bounds.extend(circle) : circle;
    }
    if (bounds) m.fitBounds(bounds, { maxZoom: 16 });
  };

  // The map itself, once.
  useEffect(() => {
    if (!el.current) return;
    // fadeAnimation off: a popup closed by a redraw leaves the DOM at once instead of fading for
    // 200 ms beside its reopened copy on the new marker.
    const m = L.map(el.current, { center: DEMO_TOWN_CENTER, zoom: 14, minZoom: 3, maxZoom: 19, zoomControl: true, fadeAnimation: false });
    map.current = m;
    // Which camera's popup is open, from Leaflet's events (not a DOM query).
    m.on('popupopen', (e) => {
      openCamera.current = (e.popup.getElement()?.querySelector('[data-testid="map-popup"]') as HTMLElement | null)?.dataset.cameraId ?? null;
    });
    m.on('popupclose', () => {
      openCamera.current = null;
    });
    markers.current = L.layerGroup().addTo(m);
    return () => {
      m.remove();
      map.current = null;
      markers.current = null;
    };
  }, []);

  // Base layer: tiles when configured, else the demo town (labels follow the language).
  useEffect(() => {
    const m = map.current;
    if (!m || !settings) return;
    const base = baseLayer(settings, t);
    base.addTo(m);
    el.current?.setAttribute('data-base', settings.tileUrl ? 'tiles' : 'plain');
    return () => {
      base.remove();
    };
  }, [settings, t, i18n.language]);

  // The incident's point and radius.
  useEffect(() => {
    const m = map.current;
    if (!m || !incident || !settings) return;
    const at = mapLatLng(proj, incident);
    const group = L.layerGroup([
      L.circle(at, { radius: incident.radius, className: 'incident-radius', interactive: false }),
      L.circleMarker(at, { radius: 7, className: 'incident-point' }).bindTooltip(t('map.incidentPoint')),
    ]).addTo(m);
    m.fitBounds(L.latLng(at).toBounds(incident.radius * 2.2));
    framed.current = true;
    return () => {
      group.remove();
    };
  }, [incident, t, settings, proj]);

  // Area selection: press, drag out the radius (circle) or the opposite corner (rectangle), release.
  const onArea = useRef(onSelectArea);
  onArea.current = onSelectArea;
  useEffect(() => {
    const m = map.current;
    const node = el.current;
    if (!m || !node || !selecting) return;
    m.dragging.disable();
    let start: L.LatLng | null = null;
    let shape: L.Circle | L.Rectangle | null = null;
    const down = (e: L.LeafletMouseEvent) => {
      start = e.latlng;
      shape =
        selecting === 'circle'
          ? L.circle(start, { radius: 1, className: 'select-circle', interactive: false }).addTo(m)
          : L.rectangle(L.latLngBounds(start, start), { className: 'select-rect', interactive: false }).addTo(m);
    };
    const move = (e: L.LeafletMouseEvent) => {
      if (!start || !shape) return;
      if (shape instanceof L.Rectangle) shape.setBounds(L.latLngBounds(start, e.latlng));
      else shape.setRadius(m.distance(start, e.latlng));
    };
    const up = (e: L.LeafletMouseEvent) => {
      if (!start) return;
      const end = { lat: e.latlng.lat, lon: e.latlng.lng };
      const from = { lat: start.lat, lon: start.lng };
      const drawn: MapArea = selecting === 'circle' ? { shape: 'circle', ...from, radius: Math.max(1, Math.round(m.distance(start, e.latlng))) } : rectBetween(from, end);
      onArea.current?.(areaFromMap(drawn, projRef.current));
      shape?.remove();
      start = null;
      shape = null;
    };
    m.on('mousedown', down);
    m.on('mousemove', move);
    m.on('mouseup', up);
    node.classList.add('selecting');
    return () => {
      m.off('mousedown', down);
      m.off('mousemove', move);
      m.off('mouseup', up);
      shape?.remove();
      m.dragging.enable();
      node.classList.remove('selecting');
    };
  }, [selecting]);

  useEffect(() => {
    const m = map.current;
    if (!m || !selection) return;
    const a = areaToMap(selection, proj);
    const drawn =
      a.shape === 'circle'
        ? L.circle([a.lat, a.lon], { radius: a.radius, className: 'select-circle', interactive: false })
        : L.rectangle([[a.south, a.west], [a.north, a.east]], { className: 'select-rect', interactive: false });
    drawn.addTo(m);
    return () => {
      drawn.remove();
    };
  }, [selection, proj]);

  // Markers (and clusters), redrawn when the cameras change and after every zoom.
  useEffect(() => {
    const m = map.current;
    const layer = markers.current;
    if (!m || !layer || !settings) return;
    const popupActions: PopupActions = { onOpenLive: (c) => actions.current.onOpenLive(c), onOpenPlayback: (c) => actions.current.onOpenPlayback(c), thumbnail: (c) => actions.current.thumbnail?.(c) ?? null };
    const draw = () => {
      // A popup open before the redraw (a status change, a zoom) stays open on the new marker.
      const openId = openCamera.current;
      layer.clearLayers();
      const zoom = m.getZoom();
      const points = cameras.map((c) => {
        const p = m.project(mapLatLng(proj, c.location), zoom);
        return { item: c, x: p.x, y: p.y };
      });
      const clusters = zoom >= CLUSTER_UNTIL_ZOOM ? points.map((p) => ({ items: [p.item], x: p.x, y: p.y })) : clusterPoints(points, CLUSTER_CELL_PX);
      for (const cl of clusters) {
        if (cl.items.length === 1) {
          const marker = cameraMarker(cl.items[0]!, mapLatLng(proj, cl.items[0]!.location), t, popupActions).addTo(layer);
          if (cl.items[0]!.id === openId) marker.openPopup();
        } else {
          const bounds = L.latLngBounds(cl.items.map((c) => mapLatLng(proj, c.location)));
          const zoomIn = () => (bounds.getNorthEast().equals(bounds.getSouthWest()) ? m.setView(bounds.getCenter(), CLUSTER_UNTIL_ZOOM) : m.fitBounds(bounds.pad(0.3)));
          clusterMarker(cl, m.unproject([cl.x, cl.y], zoom), zoomIn).addTo(layer);
        }
      }
    };
    // Frame the cameras the first time there are any (unless an incident framed the map).
    if (!framed.current && cameras.length > 0) {
      framed.current = true;
      m.fitBounds(L.latLngBounds(cameras.map((c) => mapLatLng(proj, c.location))).pad(0.1), { maxZoom: 16 });
    }
    draw();
    m.on('zoomend', draw);
    return () => {
      m.off('zoomend', draw);
    };
  }, [cameras, t, settings, proj]);

  return (
    <div className="camera-map-wrap">
      <div ref={el} className="camera-map" data-testid={testId} data-count={cameras.length} data-coords={proj.coords} role="region" aria-label={t('map.label')} />
      <button type="button" className="btn btn-sm map-fit" data-testid="map-fit" onClick={fitAll}>
        {t('map.fit')}
      </button>
    </div>
  );
}
