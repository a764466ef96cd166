/**
 * Leaflet layers for the camera map, built without images (no CDN, nothing to bundle): cameras are
 * div icons shaped by kind and coloured by status (map.css), clusters are counted discs, the
 * popup is built with DOM nodes (camera names are text, never HTML) when it opens, with a still of
 * the camera for staff (GET /cameras/{id}/preview.jpg).
 */
import L from 'leaflet';
import type { TFunction } from 'i18next';
import type { MapSettings } from '@web/api/map';
import type { Camera } from '@web/api/types';
import { DEMO_TOWN } from './demoTown';
import { isDown, type Cluster } from './mapModel';

export interface PopupActions {
  onOpenLive(camera: Camera): void;
  onOpenPlayback(camera: Camera): void;
  /** A still of the camera now, for users who may see one (staff): its URL, else null. */
  thumbnail?(camera: Camera): string | null;
}

/** The base layer: the configured tile server, else the demo town on a plain background. */
export function baseLayer(settings: Pick<MapSettings, 'tileUrl' | 'tileAttribution'> | null, t: TFunction): L.Layer {
  return settings?.tileUrl ? L.tileLayer(settings.tileUrl, { attribution: settings.tileAttribution, maxZoom: 19 }) : townLayer(t);
}

/** The plain-background base layer: the demo town's roads, square, shopping street and villages. */
export function townLayer(t: TFunction): L.LayerGroup {
  const group = L.layerGroup();
  for (const f of DEMO_TOWN) {
    const label = t(`map.town.${f.label}`);
    const layer =
      f.kind === 'road'
        ? L.polyline(f.points, { className: 'town-road', weight: 6, interactive: false })
        : L.polygon(f.points, { className: `town-${f.kind}`, weight: 1, interactive: false });
    layer.bindTooltip(label, { permanent: f.kind !== 'road', direction: 'center', className: 'town-label' });
    group.addLayer(layer);
  }
  return group;
}

function button(text: string, testId: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'btn btn-sm';
  b.textContent = text;
  b.dataset.testid = testId;
  b.addEventListener('click', onClick);
  return b;
}

export function popupContent(camera: Camera, t: TFunction, actions: PopupActions): HTMLElement {
  const root = document.createElement('div');
  root.className = 'map-popup';
  root.dataset.testid = 'map-popup';
  root.dataset.cameraId = camera.id;
  const name = document.createElement('strong');
  name.textContent = camera.name;
  const meta = document.createElement('div');
  meta.className = 'map-popup-meta';
  const status = document.createElement('span');
  status.className = `badge status-${camera.status}`;
  status.dataset.testid = 'map-popup-status';
  status.dataset.status = camera.status;
  status.textContent = t(`status.${camera.status}`);
  meta.append(status, ` ${t(`kind.${camera.kind}`)}`);
  const address = document.createElement('div');
  address.className = 'map-popup-address';
  address.textContent = camera.location.address ?? '';
  const row = document.createElement('div');
  row.className = 'map-popup-actions';
  row.append(button(t('map.openLive'), 'map-open-live', () => actions.onOpenLive(camera)), button(t('map.openPlayback'), 'map-open-playback', () => actions.onOpenPlayback(camera)));
  root.append(name, meta, address);
  const still = actions.thumbnail?.(camera);
  if (still) {
    const img = document.createElement('img');
    img.className = 'map-popup-thumb';
    img.dataset.testid = 'map-popup-thumb';
    img.alt = t('preview.alt');
    img.addEventListener('error', () => img.remove());
    img.src = still;
    root.append(img);
  }
  root.append(row);
  return root;
}

/** The camera's marker at `at`: its position on the base layer (projection.ts), not its stored WGS-84 one. */
export function cameraMarker(camera: Camera, at: L.LatLngExpression, t: TFunction, actions: PopupActions): L.Marker {
  const icon = L.divIcon({ className: `cam-marker mk-${camera.kind} ms-${camera.status}`, iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] });
  const marker = L.marker(at, { icon, title: `${camera.name} · ${t(`status.${camera.status}`)}`, alt: camera.name, keyboard: true });
  marker.bindPopup(() => popupContent(camera, t, actions), { minWidth: 200 });
  marker.on('add', () => {
    const el = marker.getElement();
    if (!el) return;
    el.dataset.testid = 'map-marker';
    el.dataset.cameraId = camera.id;
    el.dataset.status = camera.status;
    el.dataset.kind = camera.kind;
  });
  return marker;
}

export function clusterMarker(cluster: Cluster<Camera>, at: L.LatLng, onClick: () => void): L.Marker {
  const down = cluster.items.some((c) => isDown(c.status));
  const n = cluster.items.length;
  const size = n < 10 ? 30 : n < 100 ? 36 : 42;
  const icon = L.divIcon({ className: `cam-cluster${down ? ' has-down' : ''}`, html: `<span>${n}</span>`, iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
  const marker = L.marker(at, { icon, keyboard: true, title: String(n) });
  marker.on('click', onClick);
  marker.on('add', () => {
    const el = marker.getElement();
    if (!el) return;
    el.dataset.testid = 'map-cluster';
    el.dataset.count = String(n);
  });
  return marker;
}
