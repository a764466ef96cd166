/**
 * One camera on the multi-camera timeline: a small recorded-playback player (the playback page's
 * usePlayback, hls.js) kept on the shared playhead by its program-date-time (syncModel.ts): it
 * starts a playlist from the playhead after each scrub, moves when it drifts, plays and pauses with
 * the playhead, and says so where the camera recorded nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Timeline } from '@common/timeline';
import { usePlayback } from '@web/playback/usePlayback';
import { recordedAt, syncStep } from './syncModel';
import type { SharedClock } from './useSharedClock';

interface Props {
  incidentId: string;
  cameraId: string;
  name: string;
  timeline: Timeline;
  clock: SharedClock;
}

const clockText = (t: number) => new Date(t).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function SyncedPlayer({ incidentId, cameraId, name, timeline, clock }: Props) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const { state, play } = usePlayback(cameraId, videoRef, 1, incidentId);
  const startedEpoch = useRef<number | null>(null);
  const [held, setHeld] = useState(false);
  const { playhead, running, epoch } = clock;

  useEffect(() => {
    const el = videoRef.current;
    if (!el) return;
    const action = syncStep({
      playhead,
      running,
      epoch,
      recorded: recordedAt(timeline, playhead),
      startedEpoch: startedEpoch.current,
      loading: state.phase === 'loading',
      wall: state.wall,
      paused: el.paused,
      seeking: el.seeking,
      ended: state.phase === 'ended',
    });
    setHeld(action.kind === 'hold');
    switch (action.kind) {
      case 'none':
        return;
      case 'hold':
      case 'pause':
        el.pause();
        return;
      case 'start':
        startedEpoch.current = epoch;
        void play(action.at);
        return;
      case 'seek':
        el.currentTime = Math.max(0, el.currentTime + action.by / 1000);
        return;
      case 'play':
        void el.play()?.catch(() => undefined);
        return;
    }
  }, [playhead, running, epoch, timeline, state.phase, state.wall, play]);

  const phase = held ? 'gap' : state.phase === 'error' ? 'error' : state.wall === null ? (epoch === 0 ? 'idle' : 'loading') : running ? 'playing' : 'paused';
  const status = phase === 'gap' ? t('incidents.timeline.noRecording') : phase === 'error' ? t('playback.error') : phase === 'idle' ? t('incidents.timeline.pick') : phase === 'loading' ? t('common.loading') : clockText(state.wall!);

  return (
    <figure className="mtl-player" data-testid="mtl-player" data-camera-id={cameraId} data-phase={phase} data-wall={state.wall ?? ''}>
      <video ref={videoRef} className="mtl-video" data-testid="mtl-video" muted playsInline aria-label={name} />
      <figcaption className="mtl-caption">
        <span className="cell-name">{name}</span>
        <span className="mtl-status" role="status" title={state.error ?? undefined}>{status}</span>
      </figcaption>
    </figure>
  );
}
