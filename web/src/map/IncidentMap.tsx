/**
 * The incident's point, its search radius and the cameras within it (the cameras API's radius
 * query), on the same map component as the map page. Playback opens at the incident's start.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { playbackPath } from '@web/playback/timelineModel';
import { CameraMap } from './CameraMap';
import { wallPathFor } from './mapModel';
import { useMapCameras } from './useMapCameras';

interface Props {
  location: { lat: number; lon: number };
  radius: number;
  /** ISO start of the incident's window: where playback opens. */
  from: string;
  onNavigate(path: string): void;
}

export function IncidentMap({ location, radius, from, onNavigate }: Props) {
  const { t } = useTranslation();
  const { lat, lon } = location;
  const area = useMemo(() => ({ lat, lon, radius }), [lat, lon, radius]);
  const { cameras, settings } = useMapCameras(area);
  return (
    <section className="panel incident-map" data-testid="incident-map">
      <h2>{t('map.nearby', { n: cameras?.length ?? 0 })}</h2>
      <CameraMap
        cameras={cameras ?? []}
        settings={settings}
        incident={area}
        testId="incident-camera-map"
        onOpenLive={(c) => onNavigate(wallPathFor(c.id))}
        onOpenPlayback={(c) => onNavigate(playbackPath(c.id, Date.parse(from)))}
      />
    </section>
  );
}
