/** /api/v1/auth endpoints. */
import { api } from './client';
import type { LoginResponse, User } from './types';

export const login = (username: string, password: string) =>
  api.post<LoginResponse>('/api/v1/auth/login', { username, password }, { quiet401: true });

export const logout = () => api.post<void>('/api/v1/auth/logout', undefined, { quiet401: true });

export const me = (signal?: AbortSignal) => api.get<{ user: User }>('/api/v1/auth/me', { signal, quiet401: true });

/** The session on load: `user` is null for a visitor (200 either way: no failed request logged). */
export const session = (signal?: AbortSignal) => api.get<{ user: User | null }>('/api/v1/auth/session', { signal, quiet401: true });

export const changePassword = (currentPassword: string, newPassword: string) => api.post<void>('/api/v1/auth/password', { currentPassword, newPassword });
