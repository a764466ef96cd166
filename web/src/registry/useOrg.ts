/** The organisation tree for selects and names, loaded once per page; lookups by id. */
import { useEffect, useMemo, useState } from 'react';
import { EMPTY_ORG, getOrg } from '@web/api/org';
import type { Org, OrgUnit } from '@web/api/types';

export interface OrgIndex {
  org: Org;
  station: (id: string | null) => OrgUnit | undefined;
  zone: (id: string | null) => OrgUnit | undefined;
}

export function useOrg(onError: (e: unknown) => void): OrgIndex {
  const [org, setOrg] = useState<Org>(EMPTY_ORG);
  useEffect(() => {
    const ctrl = new AbortController();
    getOrg(ctrl.signal)
      .then((o) => setOrg({ ...EMPTY_ORG, ...o }))
      .catch((e: unknown) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) onError(e);
      });
    return () => ctrl.abort();
    // Loaded once; onError identity changes with the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return useMemo(() => {
    const stations = new Map(org.stations.map((s) => [s.id, s]));
    const zones = new Map(org.patrolZones.map((z) => [z.id, z]));
    return {
      org,
      station: (id) => (id ? stations.get(id) : undefined),
      zone: (id) => (id ? zones.get(id) : undefined),
    };
  }, [org]);
}
