/** Which enrollment transitions to offer for a camera's current state. Pure. */
import type { EnrollmentState } from '@common/domain';

export type EnrollmentAction = 'approve' | 'reject' | 'suspend';

export const TARGET_STATE: Record<EnrollmentAction, EnrollmentState> = {
  approve: 'approved',
  reject: 'rejected',
  suspend: 'suspended',
};

export function enrollmentActions(state: EnrollmentState): EnrollmentAction[] {
  switch (state) {
    case 'pending':
      return ['approve', 'reject'];
    case 'approved':
      return ['suspend'];
    case 'rejected':
      return ['approve'];
    case 'suspended':
      return ['approve'];
  }
}
