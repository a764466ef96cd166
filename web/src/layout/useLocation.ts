/** A tiny history router: the current pathname and navigate(); the server falls back to index.html. */
import { useCallback, useEffect, useState } from 'react';

const EVENT = 'skyeye:navigate';

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(EVENT));
}

export function usePathname(): [string, (path: string) => void] {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const sync = () => setPath(window.location.pathname);
    window.addEventListener('popstate', sync);
    window.addEventListener(EVENT, sync);
    return () => {
      window.removeEventListener('popstate', sync);
      window.removeEventListener(EVENT, sync);
    };
  }, []);
  return [path, useCallback((p: string) => navigate(p), [])];
}
