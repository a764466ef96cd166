/**
 * What the signed-in role may do in the registry (the server enforces the same rules; this only
 * hides buttons). admin/operator: everything; investigator: read + export; merchant: own cameras,
 * their own cameras: edit, delete, and withdraw consent (filing is only through verified enrollment,
 * never the plain form); no import/export/enrollment.
 */
import type { Role } from '@common/domain';

export type RegistryAction = 'create' | 'edit' | 'delete' | 'enroll' | 'import' | 'export' | 'withdraw';

const RULES: Record<Role, readonly RegistryAction[]> = {
  admin: ['create', 'edit', 'delete', 'enroll', 'import', 'export'],
  operator: ['create', 'edit', 'delete', 'enroll', 'import', 'export'],
  investigator: ['export'],
  merchant: ['edit', 'withdraw'],
};

export const can = (role: Role, action: RegistryAction): boolean => RULES[role].includes(action);
