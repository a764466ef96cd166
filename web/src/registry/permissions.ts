/**
 * What the signed-in role may do in the registry (the server enforces the same rules; this only
 * hides buttons). admin/operator: everything; investigator: read + export; merchant: own cameras,
 * create (pending) and edit, no import/export/enrollment/delete.
 */
import type { Role } from '@common/domain';

export type RegistryAction = 'create' | 'edit' | 'delete' | 'enroll' | 'import' | 'export';

const RULES: Record<Role, readonly RegistryAction[]> = {
  admin: ['create', 'edit', 'delete', 'enroll', 'import', 'export'],
  operator: ['create', 'edit', 'delete', 'enroll', 'import', 'export'],
  investigator: ['export'],
  merchant: ['create', 'edit'],
};

export const can = (role: Role, action: RegistryAction): boolean => RULES[role].includes(action);
