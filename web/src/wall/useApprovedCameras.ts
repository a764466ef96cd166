/** Approved cameras the user may see matching `q` (GET /cameras?q=&enrollment=approved), fetched 250 ms after typing stops while `enabled`. */
import { useEffect, useState } from 'react';
import { listCameras } from '@web/api/cameras';
import type { Camera } from '@web/api/types';

export function useApprovedCameras(q: string, enabled = true): { items: Camera[] | null; failed: boolean } {
  const [items, setItems] = useState<Camera[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      setFailed(false);
      listCameras({ q: q.trim(), enrollment: 'approved' }, null, ctrl.signal)
        .then((page) => setItems(page.items))
        .catch((e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setFailed(true);
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [enabled, q]);
  return { items, failed };
}
