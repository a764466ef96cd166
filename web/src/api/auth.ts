/** /api/v1/auth endpoints. */
import { api } from './client';
import type { LoginResponse, User } from './types';

export const login = (username: string, password: string) =>
  api.post<LoginResponse>('/api/v1/auth/login', { username, password }, { quiet401: true });

export const logout = () => api.post<void>('/api/v1/auth/logout', undefined, { quiet401: true });

export const me = (signal?: AbortSignal) => api.get<{ user: User }>('/api/v1/auth/me', { signal, quiet401: true });
