/**
 * Discovery rules: start scans (allowed ranges only), keep scan credentials in memory only, store
 * and stream what each scan finds in batches, recognise cameras already in the registry: what
 * re-discovery finds different becomes a proposal (stored, audited) that only an operator applies.
 */
import type { ScanMethod, ScanStatus } from '@common/discovery';
import type { AppContext } from '@server/context';
import { badRequest, notFound } from '@server/http/problem';
import { CidrError, MAX_SCAN_ADDRESSES, scanAddresses } from './cidr';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { deviceView, discoveryRepository, type DeviceRow, type DiscoveryRepository, type NewDevice, type ScanFailure, type ScanRow } from './discovery-repository';
import { compare, matchKnown, proposalKey } from './rediscovery';
import type { ScanCredentials } from './onvif-prober';
import { runScan, type FoundDevice, type ScanPlan, type ScanSettings, type ScanTransport } from './scanner';

/** How long scan credentials stay in memory after a scan, so an operator can enroll what it found. */
export const CREDENTIALS_TTL_MS = 15 * 60_000;

export interface StartScanInput {
  method: ScanMethod;
  range?: string;
  username?: string;
  password?: string;
}

export function scanSettings(ctx: AppContext): ScanSettings {
  const d = ctx.config.discovery;
  return {
    interfaceAddress: d.multicastInterface,
    allowedRanges: d.allowedRanges,
    probeTimeoutMs: d.probeTimeout,
    scanTimeoutMs: d.scanTimeout,
    soapTimeoutMs: d.soapTimeout,
    maxResponseBytes: d.maxResponseBytes,
    concurrency: d.scanConcurrency,
    onvifPorts: d.onvifPorts,
    maxMatchesPerReply: d.maxMatchesPerReply,
    maxDevicesPerScan: d.maxDevicesPerScan,
  };
}

export function scanView(s: ScanRow, devices: DeviceRow[]) {
  return {
    id: s.id,
    method: s.method as ScanMethod,
    range: s.range,
    status: s.status as ScanStatus,
    error: s.error,
    withCredentials: s.withCredentials,
    addressesTotal: s.addressesTotal,
    addressesDone: s.addressesDone,
    deviceCount: devices.length,
    repliesDropped: s.repliesDropped,
    capped: s.capped,
    failures: (s.failures ?? []) as ScanFailure[],
    startedAt: s.startedAt.toISOString(),
    finishedAt: s.finishedAt ? s.finishedAt.toISOString() : null,
    devices: devices.map(deviceView),
  };
}

/** Devices stored per insert (one statement per batch, not per device). */
export const DEVICE_BATCH = 50;

export class DiscoveryService {
  readonly repo: DiscoveryRepository;
  private readonly credentials = new Map<string, { creds: ScanCredentials; timer: { cancel(): void } }>();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly transport?: ScanTransport,
  ) {
    this.repo = discoveryRepository(ctx.database.db);
  }

  async startScan(input: StartScanInput, startedBy: string | null): Promise<{ id: string; status: ScanStatus }> {
    const settings = scanSettings(this.ctx);
    let plan: ScanPlan;
    if (input.method === 'unicast') {
      if (!input.range) throw badRequest('A unicast scan needs a range.', [{ field: 'range', message: 'required for method "unicast" (CIDR, e.g. 127.0.1.0/28)' }]);
      try {
        plan = { method: 'unicast', addresses: scanAddresses(input.range, settings.allowedRanges, MAX_SCAN_ADDRESSES) };
      } catch (e) {
        if (e instanceof CidrError) throw badRequest('The range may not be scanned.', [{ field: 'range', message: e.message }]);
        throw e;
      }
    } else {
      plan = { method: 'multicast' };
    }
    const creds = input.username ? { username: input.username, password: input.password ?? '' } : undefined;
    const scan = await this.repo.createScan({
      method: input.method,
      range: input.method === 'unicast' ? input.range! : null,
      withCredentials: Boolean(creds),
      startedBy,
      addressesTotal: plan.method === 'unicast' ? plan.addresses.length : 0,
    });
    if (creds) this.holdCredentials(scan.id, creds);
    const abort = new AbortController();
    const done = this.run(scan.id, plan, creds, settings, abort.signal, startedBy).finally(() => this.running.delete(scan.id));
    this.running.set(scan.id, { abort, done });
    return { id: scan.id, status: 'running' };
  }

  private holdCredentials(scanId: string, creds: ScanCredentials): void {
    const timer = this.ctx.clock.setTimeout(() => this.credentials.delete(scanId), CREDENTIALS_TTL_MS);
    this.credentials.set(scanId, { creds, timer });
  }

  /** The credentials a scan was given, while they are still held in memory. */
  scanCredentials(scanId: string): ScanCredentials | undefined {
    return this.credentials.get(scanId)?.creds;
  }

  private async run(scanId: string, plan: ScanPlan, creds: ScanCredentials | undefined, settings: ScanSettings, signal: AbortSignal, startedBy: string | null): Promise<void> {
    const log = this.ctx.logger.child({ scanId, method: plan.method });
    const bus = this.ctx.bus;
    const actor: AuditActor = { actorId: startedBy, actorName: 'discovery', actorRole: 'system', ip: null, requestId: null };
    let deviceCount = 0;
    let addressesDone = 0;
    let repliesDropped = 0;
    const failures: ScanFailure[] = [];
    /** A per-device failure: listed in the scan result; `err` (the database's own words) only in the log. */
    const failed = (address: string, message: string, err?: unknown) => {
      failures.push({ address, message: message.slice(0, 300) });
      log.warn({ address, reason: message, ...(err ? { err } : {}) }, 'discovered device could not be probed or stored');
    };
    const total = plan.method === 'unicast' ? plan.addresses.length : 0;
    const progress = (status: ScanStatus) => bus.publish('discovery:progress', { scanId, status, addressesTotal: total, addressesDone, deviceCount });
    let buffer: FoundDevice[] = [];
    let chain: Promise<void> = Promise.resolve();
    const flush = () => {
      const batch = buffer;
      buffer = [];
      chain = chain.then(async () => {
        for (const row of await this.store(scanId, batch, actor, failed)) {
          deviceCount += 1;
          bus.publish('discovery:device', { scanId, device: deviceView(row) });
        }
      });
      return chain;
    };
    let status: ScanStatus = 'done';
    let error: string | null = null;
    let capped: string | null = null;
    try {
      const r = await runScan(
        plan,
        creds,
        settings,
        {
          device: async (d) => {
            buffer.push(d);
            if (buffer.length >= DEVICE_BATCH) await flush();
          },
          progress: (doneCount) => {
            addressesDone = doneCount;
            void this.repo.progress(scanId, doneCount).catch(() => undefined);
            progress('running');
          },
          dropped: (source, reason) => {
            repliesDropped += 1;
            log.debug({ source, reason }, 'discovery reply dropped');
          },
          kernelDrops: (n) => {
            repliesDropped += n;
            log.warn({ dropped: n }, 'the kernel dropped discovery replies (receive buffer full)');
          },
          failed,
        },
        { signal, ...(this.transport ? { transport: this.transport } : {}) },
      );
      await flush();
      capped = r.capped;
      if (r.timedOut) log.info('scan reached its time limit');
    } catch (e) {
      status = 'failed';
      error = (e as Error).message;
      log.warn({ err: e }, 'scan failed');
    }
    if (this.ctx.shuttingDown()) return;
    const clashes = await this.repo.flagScanClashes(scanId).catch((e: unknown) => {
      log.error({ err: e }, 'could not flag identity clashes');
      return 0;
    });
    if (clashes > 0) log.warn({ devices: clashes }, 'devices in this scan claim one identity (endpoint or serial) from different addresses');
    await this.repo
      .finishScan(scanId, { status, error, capped, repliesDropped, failures }, this.ctx.clock.now())
      .catch((e: unknown) => log.error({ err: e }, 'could not finish scan'));
    progress(status);
    bus.publish('discovery:done', { scanId, status, deviceCount, error });
    log.info({ deviceCount, status, repliesDropped, failures: failures.length, capped }, 'scan finished');
  }

  /**
   * Stores a batch of found devices in one transaction; a camera already in the registry is
   * linked, and what differs becomes an audited proposal (never a change to the camera). When
   * the batch fails, each device is tried alone so one bad device cannot hide the others.
   */
  private async store(scanId: string, batch: FoundDevice[], actor: AuditActor, failed: (address: string, message: string, err?: unknown) => void): Promise<DeviceRow[]> {
    if (batch.length === 0) return [];
    const serials = batch.map((d) => d.serial).filter((x): x is string => Boolean(x));
    const onvifUrls = batch.map((d) => d.onvifUrl).filter((x): x is string => Boolean(x));
    const sightings = await this.repo.knownCameras(batch.map((d) => d.endpointReference), serials);
    const byOnvif = await this.repo.camerasByOnvifUrl(onvifUrls);
    const plans: NewDevice[] = batch.map((device) => {
      const k = matchKnown(device, sightings, byOnvif);
      if (!k) return { device, cameraId: null, changes: {}, identityClash: false };
      const { changes, clash } = compare(device, k);
      return { device, cameraId: k.id, changes, identityClash: clash };
    });
    const write = (items: NewDevice[]) =>
      this.ctx.database.db.transaction(async (tx) => {
        const rows = await this.repo.insertDevices(tx, scanId, items);
        const open = new Set((await this.repo.openProposals([...new Set(items.flatMap((i) => (i.cameraId ? [i.cameraId] : [])))], tx)).map((p) => proposalKey(p.cameraId, p.address, p.changes as NewDevice['changes'])));
        for (const [i, n] of items.entries()) {
          if (!n.cameraId || Object.keys(n.changes).length === 0) continue;
          const key = proposalKey(n.cameraId, n.device.address, n.changes);
          if (open.has(key)) continue;
          open.add(key);
          const kind = n.identityClash ? 'identity_clash' : 'change';
          const p = await this.repo.insertProposal(tx, { cameraId: n.cameraId, deviceId: rows[i]!.id, kind, address: n.device.address, endpointReference: n.device.endpointReference, changes: n.changes });
          await recordAudit(tx, actor, {
            action: 'discovery.proposal',
            targetType: 'camera',
            targetId: n.cameraId,
            details: { proposalId: p.id, kind, scanId, deviceId: rows[i]!.id, address: n.device.address, endpoint: n.device.endpointReference, fields: Object.keys(n.changes).sort() },
          });
        }
        return rows;
      });
    try {
      return await write(plans);
    } catch {
      const out: DeviceRow[] = [];
      for (const p of plans) {
        try {
          out.push(...(await write([p])));
        } catch (e) {
          failed(p.device.address, 'could not store the device; the server log has the reason', e);
        }
      }
      return out;
    }
  }

  async getScan(id: string) {
    const scan = await this.repo.getScan(id);
    if (!scan) throw notFound('Scan');
    return scanView(scan, await this.repo.devicesOfScan(id));
  }

  async listScans(limit = 50) {
    const scans = await this.repo.listScans(limit);
    return scans.map((s) => {
      const { devices: _d, ...rest } = scanView(s, []);
      return { ...rest, deviceCount: s.deviceCount };
    });
  }

  async getDevice(id: string) {
    const [row] = await this.repo.getDevices([id]);
    if (!row) throw notFound('Discovered device');
    return deviceView(row);
  }

  /** Waits for running scans (tests) */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  async stop(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    await this.idle();
    for (const c of this.credentials.values()) c.timer.cancel();
    this.credentials.clear();
  }
}
