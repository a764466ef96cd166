/**
 * What a pending camera sees now, for the staff member approving it: a still from
 * GET /cameras/{id}/preview.jpg, fetched again every few seconds while shown (one at a time).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

const EVERY_MS = 3_000;

export function CameraPreview({ cameraId }: { cameraId: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    let url: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const res = await fetch(`/api/v1/cameras/${cameraId}/preview.jpg`, { credentials: 'same-origin', cache: 'no-store' });
        if (!alive) return;
        if (res.ok) {
          const next = URL.createObjectURL(await res.blob());
          if (url) URL.revokeObjectURL(url);
          url = next;
          setSrc(next);
          setFailed(false);
        } else if (res.status !== 429) setFailed(true);
      } catch {
        if (alive) setFailed(true);
      }
      if (alive) timer = setTimeout(() => void load(), EVERY_MS);
    };
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
      if (url) URL.revokeObjectURL(url);
    };
  }, [cameraId]);

  return (
    <figure className="camera-preview" data-testid="camera-preview" data-state={failed ? 'failed' : src ? 'shown' : 'loading'}>
      {src ? <img src={src} alt={t('preview.alt')} data-testid="camera-preview-image" /> : <div className="camera-preview-empty">{t(failed ? 'preview.failed' : 'preview.loading')}</div>}
      <figcaption>{failed && src ? t('preview.stale') : t('preview.caption')}</figcaption>
    </figure>
  );
}
