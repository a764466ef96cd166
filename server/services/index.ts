/**
 * The repository and service containers, each built once in the composition root (start.ts):
 * repositories (and the keyring) first, then the services that take them as constructor
 * arguments. Routes receive the services; background parts (ingest, unattended watch, media
 * server) take the repositories from here instead of building their own.
 */
import type { AppContext } from '@server/context';
import { createCamerasService, type CamerasService } from '@server/cameras/index';
import { OrgRepository } from '@server/org/repository';
import { buildLiveService, type LiveService } from '@server/live/index';
import { buildDiscoveryModule, type DiscoveryModule } from '@server/discovery/index';
import { AuthService } from '@server/auth/auth-service';
import { UsersService } from '@server/users/users-service';
import { UsersRepository } from '@server/users/users-repository';
import { AuditRepository } from '@server/audit/audit-repository';
import { AuditChainVerifier } from '@server/audit/chain';
import { loadSigningKey, type SigningKey } from '@server/evidence/signing-key';
import { LeaseRepository } from '@server/leases/lease-repository';
import { PushKeyRepository } from '@server/ingest/push-key-repository';
import { loadKeyring, type Keyring } from '@server/security/keyring';
import type { MediaServer } from '@workers/rtmp/media-server';

export interface Repositories {
  keyring: Keyring;
  leases: LeaseRepository;
  pushKeys: PushKeyRepository;
  org: OrgRepository;
  users: UsersRepository;
  audit: AuditRepository;
  auditChain: AuditChainVerifier;
  /** The deployment's Ed25519 key signing evidence exports. */
  signingKey: SigningKey;
}

export function createRepositories(ctx: Pick<AppContext, 'config' | 'database'>): Repositories {
  const { config, database } = ctx;
  return {
    keyring: loadKeyring({ credentialKeys: config.security.credentialKeys, dataDir: config.dataDir }),
    leases: new LeaseRepository(database.db),
    pushKeys: new PushKeyRepository(database.db),
    org: new OrgRepository(database),
    users: new UsersRepository(database.db),
    audit: new AuditRepository(database.db),
    auditChain: new AuditChainVerifier(database),
    signingKey: loadSigningKey({ configured: config.security.evidenceSigningKey, dataDir: config.dataDir }),
  };
}
import { buildLedgerService, type LedgerService } from '@server/ledger/index';
import { buildPlaybackService, type PlaybackService } from '@server/playback/index';
import { buildAlarms, type AlarmsModule } from '@server/alarms/index';
import { buildEvidenceModule, type EvidenceModule, type EvidencePorts } from '@server/evidence/index';
import { buildIncidentsService, type IncidentsService } from '@server/incidents/index';
import { buildWallsService, type WallsService } from '@server/walls/index';
import { buildClipsModule, type ClipsModule } from '@server/clips/index';
import { CustodyLogRepository } from '@server/evidence/custody-log';

export interface Services {
  repos: Repositories;
  auth: AuthService;
  users: UsersService;
  cameras: CamerasService;
  org: OrgRepository;
  live: LiveService;
  discovery: DiscoveryModule;
  ledger: LedgerService;
  playback: PlaybackService;
  alarms: AlarmsModule;
  /** Evidence items, custody, exports (incidents' access rule and the clips as its ports). */
  evidence: EvidenceModule;
  /** Incidents; its `access` (IncidentAccess) is the port clips and evidence check incidents through. */
  incidents: IncidentsService;
  walls: WallsService;
  clips: ClipsModule;
}

/**
 * `media`: the media server this process runs (started before the services), or null.
 * `evidencePorts`: replaces the incidents and clips that evidence sees (tests of evidence alone).
 */
export function createServices(ctx: AppContext, repos: Repositories, media: MediaServer | null, evidencePorts: EvidencePorts | null = null): Services {
  const auth = new AuthService(ctx.database, ctx.config, ctx.clock, ctx.bus, repos.users);
  const cameras = createCamerasService(ctx, repos.keyring, repos.org);
  const ledger = buildLedgerService(ctx);
  // Incidents decide who may use an incident; clips and evidence ask them (server/incidents/ports.ts).
  const incidents = buildIncidentsService(ctx, cameras, ledger);
  const footage = incidents.footage.gate;
  const clips = buildClipsModule(ctx, { access: incidents.access, custody: new CustodyLogRepository(ctx.database), see: (user, id) => cameras.get(user, id), footage });
  return {
    repos,
    auth,
    users: new UsersService(repos.users, auth.sessions, ctx.bus, () => incidents.access.stations()),
    cameras,
    org: repos.org,
    live: buildLiveService(ctx, new Set([ctx.instanceId]), { media, leases: repos.leases }),
    discovery: buildDiscoveryModule(ctx, cameras),
    ledger,
    playback: buildPlaybackService(ctx),
    alarms: buildAlarms(ctx),
    evidence: buildEvidenceModule(ctx, repos.signingKey, evidencePorts ?? { incidents: incidents.access, clips: clips.source, footage }),
    incidents,
    // A user's station (user_stations, kept by incidents) scopes the walls shared with a station.
    walls: buildWallsService(ctx, (user, id) => cameras.get(user, id), (user) => incidents.access.stationOf(user)),
    clips,
  };
}
