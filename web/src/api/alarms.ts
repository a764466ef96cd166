/** /api/v1/alarms endpoints (server/alarms). */
import type { Alarm, AlarmList, AlarmState } from '@common/alarms';
import { api } from './client';

export const listAlarms = (state: AlarmState, signal?: AbortSignal) => api.get<AlarmList>('/api/v1/alarms', { query: { state }, signal });

export const acknowledgeAlarm = (id: string, note: string) => api.post<Alarm>(`/api/v1/alarms/${encodeURIComponent(id)}/ack`, note.trim() ? { note: note.trim() } : {});
