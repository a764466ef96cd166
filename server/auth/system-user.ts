/** The principal for Sky Eye's own background work (event fan-out, demo enrollment): sees every camera. */
import type { AuthUser } from './types';

export const systemUser: AuthUser = { id: '00000000-0000-0000-0000-000000000000', username: 'system', role: 'admin', displayName: 'Sky Eye', via: 'bearer' };
