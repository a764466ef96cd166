/**
 * Who may use the discovery page (the server enforces the same rules; this hides controls):
 * admin/operator scan and enroll, investigators view scans read-only, merchants do not see it.
 */
import type { Role } from '@common/domain';

export type DiscoveryAccess = 'operate' | 'view' | 'none';

export function discoveryAccess(role: Role): DiscoveryAccess {
  switch (role) {
    case 'admin':
    case 'operator':
      return 'operate';
    case 'investigator':
      return 'view';
    case 'merchant':
      return 'none';
  }
}
