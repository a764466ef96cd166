/**
 * Who may see and change which incident (the IncidentAccess port clips and evidence use):
 * - admins: every incident;
 * - investigators: their station's incidents and those assigned to them; they may edit what they see;
 * - operators: their station's incidents and those they created; they may edit those they created;
 * - merchants: none, ever (404, as if it did not exist).
 * A user's station is their user_stations row (PUT /api/v1/users/{id}/station).
 */
import { UUID } from '@common/uuid';
import type { AuthUser } from '@server/auth/types';
import type { Db } from '@server/db/database';
import { forbidden, notFound } from '@server/http/problem';
import { toRef } from './mapper';
import type { IncidentAccess, IncidentRef } from './ports';
import * as repo from './repository';
import type { IncidentRow, Visibility } from './repository';

export type Action = 'view' | 'edit';

export const notFoundIncident = () => notFound('Incident');

export function visibility(user: AuthUser, stationId: string | null): Visibility {
  return { all: user.role === 'admin', userId: user.id, stationId, includeCreated: user.role === 'operator' };
}

/** Whether `user` (whose station is `stationId`) may do `action` with the visible incident `row`. */
export function mayEdit(user: AuthUser, row: Pick<IncidentRow, 'created_by'>): boolean {
  switch (user.role) {
    case 'admin':
    case 'investigator':
      return true;
    case 'operator':
      return row.created_by === user.id;
    case 'merchant':
      return false;
  }
}

export class IncidentAccessControl implements IncidentAccess {
  constructor(private readonly db: () => Db) {}

  stationOf(user: AuthUser, db: Db = this.db()): Promise<string | null> {
    return repo.stationOf(db, user.id);
  }

  /** Every user's station (user id -> station id). */
  stations(): Promise<Map<string, string>> {
    return repo.allStations(this.db());
  }

  async visibilityOf(user: AuthUser, db: Db = this.db()): Promise<Visibility> {
    return visibility(user, await this.stationOf(user, db));
  }

  /**
   * The incident's row when `user` may do `action` with it, else the HttpError to send (404 when
   * they may not see it, 403 when they see it but may not do this). With `tx` and `forUpdate`,
   * the row stays locked for the rest of the caller's transaction (check and change are atomic).
   */
  async check(user: AuthUser, incidentId: string, action: Action, tx?: Db, forUpdate = false): Promise<IncidentRow> {
    if (user.role === 'merchant' || !UUID.test(incidentId)) throw notFoundIncident();
    const db = tx ?? this.db();
    const row = await repo.findIncident(db, incidentId, { forUpdate });
    if (!row) throw notFoundIncident();
    if (user.role !== 'admin' && !(await repo.isVisible(db, incidentId, await this.visibilityOf(user, db)))) throw notFoundIncident();
    if (action === 'edit' && !mayEdit(user, row)) throw forbidden('You may see this incident but not change it (operators change the incidents they created).');
    return row;
  }

  async require(user: AuthUser, incidentId: string, action: Action): Promise<IncidentRef> {
    return toRef(await this.check(user, incidentId, action));
  }
}
