/**
 * The service container: every service built once from the context. Routes receive it; services
 * receive the repositories they need. Add a service here when you add one under services/.
 */
import type { AppContext } from '@server/context';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

export function createServices(_ctx: AppContext): Services {
  return {};
}
