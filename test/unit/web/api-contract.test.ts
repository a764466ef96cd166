/**
 * The console's API types against the server's zod schemas (the OpenAPI source): a field added,
 * removed or retyped on one side and not the other fails `npm run typecheck` here. Responses must
 * be the same type; what the console sends must be accepted by the server's input schema.
 */
import { expect } from 'chai';
import type { z } from 'zod';
import type { Camera as ApiCamera, CameraInputSchema, CameraListSchema, CameraPatchSchema, ImportReportSchema, StatusHistorySchema } from '@server/cameras/schemas';
import type { LoginResultSchema, PasswordChangeSchema, UserSchema } from '@server/auth/schemas';
import type { changePassword, session } from '@web/api/auth';
import type { OrgSchema } from '@server/org/routes';
import type { PlaybackUrlsSchema } from '@server/live/openapi';
import type { TimelineSchema } from '@server/ledger/openapi';
import type { ApplyProposalSchema, EnrollOneSchema, EnrollResultSchema, MerchantEnrollResultSchema, MerchantEnrollSchema, ProposalSchema, ScanListSchema, ScanSchema, ScanStartedSchema, StartScanSchema } from '@server/discovery/schemas';
import type { ProblemSchema } from '@server/schemas/openapi';
import type { Camera, CameraInput, CameraPage, CameraPatch, ImportReport, LoginResponse, Org, StatusHistoryPage, User } from '@web/api/types';
import type { LiveUrls } from '@web/api/live';
import type { ApplyProposalRequest, EnrollRequest, EnrollResult, MerchantEnrollRequest, MerchantEnrollResult, Scan, ScanRequest, ScanSummary } from '@web/api/discovery';
import type { Problem } from '@web/api/problem';
import type { Timeline } from '@common/timeline';
import type { DiscoveryProposalView } from '@common/discovery';
import type { Wall as ApiWall, WallInput as ApiWallInput } from '@server/walls/schemas';
import type { SavedWall, SavedWallInput } from '@web/api/walls';
import type { CreateIncidentSchema, HistorySchema, IncidentCameraListSchema, IncidentListSchema, IncidentSchema, MetaSchema, PatchIncidentSchema } from '@server/incidents/schemas';
import type { Incident, IncidentCameraList, IncidentHistoryEntry, IncidentList, IncidentMeta } from '@common/incidents';
import type { IncidentInput, IncidentPatch } from '@web/api/incidents';
import type { AlarmSchema } from '@server/alarms/openapi';
import type { Alarm } from '@common/alarms';
import type { ClipBody, ClipListSchema, ClipSchema } from '@server/clips/openapi';
import type { Clip, ClipManyRequest } from '@web/api/clips';
import type { AttachBody, CustodySchema, EvidenceItemSchema, ExportListSchema, ExportSchema, PackageReportSchema } from '@server/evidence/openapi';
import type { AttachRequest, CustodyEntry, EvidenceExport, EvidenceItem, PackageReport } from '@web/api/evidence';
import type { ManagedUserSchema, UserInputSchema, UserListSchema, UserPatchSchema } from '@server/auth/schemas';
import type { AuditPageSchema, ChainReportSchema } from '@server/audit/routes';
import type { HealthSchema } from '@server/ops/health';
import type { MapSettingsSchema } from '@server/geo/map-routes';
import type { AuditChainReport, AuditPage, Health, ManagedUser, NewUser, UserChange } from '@web/api/admin';
import type { MapSettings } from '@web/api/map';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** What the console sends is something the server's schema accepts. */
type Sends<Web, Server> = [Web] extends [Server] ? true : false;
type Out<S extends z.ZodType> = z.infer<S>;
type In<S extends z.ZodType> = z.input<S>;

const checks = {
  Camera: true satisfies Same<Camera, ApiCamera>,
  CameraPage: true satisfies Same<CameraPage, Out<typeof CameraListSchema>>,
  StatusHistoryPage: true satisfies Same<StatusHistoryPage, Out<typeof StatusHistorySchema>>,
  ImportReport: true satisfies Same<ImportReport, Out<typeof ImportReportSchema>>,
  CameraInput: true satisfies Sends<CameraInput, In<typeof CameraInputSchema>>,
  CameraPatch: true satisfies Sends<CameraPatch, In<typeof CameraPatchSchema>>,
  User: true satisfies Same<User, Out<typeof UserSchema>>,
  LoginResponse: true satisfies Same<LoginResponse, Out<typeof LoginResultSchema>>,
  Session: true satisfies Same<Awaited<ReturnType<typeof session>>, { user: Out<typeof UserSchema> | null }>,
  PasswordChange: true satisfies Sends<{ currentPassword: Parameters<typeof changePassword>[0]; newPassword: Parameters<typeof changePassword>[1] }, In<typeof PasswordChangeSchema>>,
  Org: true satisfies Same<Org, Out<typeof OrgSchema>>,
  LiveUrls: true satisfies Same<LiveUrls, Out<typeof PlaybackUrlsSchema>>,
  Timeline: true satisfies Same<Timeline, Out<typeof TimelineSchema>>,
  ScanRequest: true satisfies Sends<ScanRequest, In<typeof StartScanSchema>>,
  ScanStarted: true satisfies Same<{ id: string; status: 'running' }, Out<typeof ScanStartedSchema>>,
  ScanSummary: true satisfies Same<{ items: ScanSummary[] }, Out<typeof ScanListSchema>>,
  Scan: true satisfies Same<Scan, Out<typeof ScanSchema>>,
  EnrollRequest: true satisfies Sends<EnrollRequest, In<typeof EnrollOneSchema>>,
  EnrollResult: true satisfies Same<EnrollResult, Out<typeof EnrollResultSchema>>,
  MerchantEnrollRequest: true satisfies Sends<MerchantEnrollRequest, In<typeof MerchantEnrollSchema>>,
  MerchantEnrollResult: true satisfies Same<MerchantEnrollResult, Out<typeof MerchantEnrollResultSchema>>,
  Proposal: true satisfies Same<DiscoveryProposalView, Out<typeof ProposalSchema>>,
  ApplyProposalRequest: true satisfies Sends<ApplyProposalRequest, In<typeof ApplyProposalSchema>>,
  Problem: true satisfies Sends<Out<typeof ProblemSchema>, Problem>,
  SavedWall: true satisfies Same<SavedWall, ApiWall>,
  SavedWallInput: true satisfies Same<SavedWallInput, ApiWallInput>,
  Incident: true satisfies Same<Incident, Out<typeof IncidentSchema>>,
  IncidentList: true satisfies Same<IncidentList, Out<typeof IncidentListSchema>>,
  IncidentCameraList: true satisfies Same<IncidentCameraList, Out<typeof IncidentCameraListSchema>>,
  IncidentHistory: true satisfies Same<{ items: IncidentHistoryEntry[] }, Out<typeof HistorySchema>>,
  IncidentMeta: true satisfies Same<IncidentMeta, Out<typeof MetaSchema>>,
  IncidentInput: true satisfies Sends<IncidentInput, In<typeof CreateIncidentSchema>>,
  IncidentPatch: true satisfies Sends<IncidentPatch, In<typeof PatchIncidentSchema>>,
  Alarm: true satisfies Same<Alarm, Out<typeof AlarmSchema>>,
  Clip: true satisfies Same<Clip, Out<typeof ClipSchema>>,
  ClipList: true satisfies Same<{ items: Clip[] }, Out<typeof ClipListSchema>>,
  ClipManyRequest: true satisfies Sends<ClipManyRequest, In<typeof ClipBody>>,
  EvidenceItem: true satisfies Same<EvidenceItem, Out<typeof EvidenceItemSchema>>,
  CustodyEntry: true satisfies Same<CustodyEntry, Out<typeof CustodySchema>>,
  AttachRequest: true satisfies Sends<AttachRequest, In<typeof AttachBody>>,
  EvidenceExport: true satisfies Same<EvidenceExport, Out<typeof ExportSchema>>,
  ExportList: true satisfies Same<{ items: EvidenceExport[] }, Out<typeof ExportListSchema>>,
  PackageReport: true satisfies Same<PackageReport, Out<typeof PackageReportSchema>>,
  ManagedUser: true satisfies Same<ManagedUser, Out<typeof ManagedUserSchema>>,
  UserList: true satisfies Same<{ items: ManagedUser[] }, Out<typeof UserListSchema>>,
  NewUser: true satisfies Sends<NewUser, In<typeof UserInputSchema>>,
  UserChange: true satisfies Sends<UserChange, In<typeof UserPatchSchema>>,
  AuditPage: true satisfies Same<AuditPage, Out<typeof AuditPageSchema>>,
  AuditChainReport: true satisfies Same<AuditChainReport, Out<typeof ChainReportSchema>>,
  Health: true satisfies Same<Health, Out<typeof HealthSchema>>,
  MapSettings: true satisfies Same<MapSettings, Out<typeof MapSettingsSchema>>,
};

describe('console API types match the server schemas', () => {
  for (const [name, ok] of Object.entries(checks)) {
    it(name, () => {
      expect(ok).to.equal(true);
    });
  }
});
