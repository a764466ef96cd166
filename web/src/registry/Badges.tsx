/** Coloured labels for camera status and enrollment state. Colours live in registry.css. */
import type { CameraStatus, EnrollmentState } from '@common/domain';
import { useTranslation } from 'react-i18next';
import { causeText } from '@web/i18n/cause';

export function StatusBadge({ status, cause }: { status: CameraStatus; cause: string | null }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${status}`} data-testid="camera-status" data-status={status} title={causeText(t, cause) ?? undefined}>
      <span className="badge-dot" aria-hidden="true" />
      {t(`status.${status}`)}
    </span>
  );
}

export function EnrollmentBadge({ state }: { state: EnrollmentState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge enroll-${state}`} data-testid="camera-enrollment" data-state={state}>
      {t(`enrollment.${state}`)}
    </span>
  );
}
