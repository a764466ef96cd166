/**
 * Discovery rules: start scans (allowed ranges only), keep scan credentials in memory only, store
 * and stream what each scan finds, recognise cameras already in the registry (re-discovery
 * updates their addresses and flags changes instead of duplicating them).
 */
import type { ScanMethod, ScanStatus } from '@common/discovery';
import type { AppContext } from '@server/context';
import { badRequest, notFound } from '@server/http/problem';
import { CidrError, MAX_SCAN_ADDRESSES, scanAddresses } from './cidr';
import { deviceView, discoveryRepository, type DeviceRow, type DiscoveryRepository, type ScanRow } from './discovery-repository';
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
    startedAt: s.startedAt.toISOString(),
    finishedAt: s.finishedAt ? s.finishedAt.toISOString() : null,
    devices: devices.map(deviceView),
  };
}

const hostOf = (url: string | null) => {
  try {
    return url ? new URL(url).hostname : null;
  } catch {
    return null;
  }
};

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
    const done = this.run(scan.id, plan, creds, settings, abort.signal).finally(() => this.running.delete(scan.id));
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

  private async run(scanId: string, plan: ScanPlan, creds: ScanCredentials | undefined, settings: ScanSettings, signal: AbortSignal): Promise<void> {
    const log = this.ctx.logger.child({ scanId, method: plan.method });
    const bus = this.ctx.bus;
    let deviceCount = 0;
    let addressesDone = 0;
    const total = plan.method === 'unicast' ? plan.addresses.length : 0;
    const progress = (status: ScanStatus) => bus.publish('discovery:progress', { scanId, status, addressesTotal: total, addressesDone, deviceCount });
    let status: ScanStatus = 'done';
    let error: string | null = null;
    try {
      const r = await runScan(
        plan,
        creds,
        settings,
        {
          device: async (d) => {
            const row = await this.record(scanId, d);
            deviceCount += 1;
            bus.publish('discovery:device', { scanId, device: deviceView(row) });
          },
          progress: (doneCount) => {
            addressesDone = doneCount;
            void this.repo.progress(scanId, doneCount).catch(() => undefined);
            progress('running');
          },
          dropped: (source, reason) => log.debug({ source, reason }, 'discovery reply dropped'),
        },
        { signal, ...(this.transport ? { transport: this.transport } : {}) },
      );
      if (r.timedOut) log.info('scan reached its time limit');
    } catch (e) {
      status = 'failed';
      error = (e as Error).message;
      log.warn({ err: { message: error } }, 'scan failed');
    }
    if (this.ctx.shuttingDown()) return;
    await this.repo.finishScan(scanId, status, error, this.ctx.clock.now()).catch((e: unknown) => log.error({ err: e }, 'could not finish scan'));
    progress(status);
    bus.publish('discovery:done', { scanId, status, deviceCount, error });
    log.info({ deviceCount, status }, 'scan finished');
  }

  /** Store one found device; a camera already in the registry is updated and its changes flagged. */
  private async record(scanId: string, d: FoundDevice): Promise<DeviceRow> {
    const known =
      (await this.repo.findKnownCamera(d.endpointReference, d.serial, d.manufacturer)) ?? (d.onvifUrl ? await this.repo.findCameraByOnvifUrl(d.onvifUrl) : undefined);
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    const update: { onvifUrl?: string; rtspUrl?: string; rtspSubUrl?: string } = {};
    if (known) {
      const oldHost = hostOf(known.onvifUrl) ?? known.last?.address ?? d.address;
      if (oldHost !== d.address) {
        changes.address = { from: oldHost, to: d.address };
        if (d.onvifUrl) update.onvifUrl = d.onvifUrl;
      }
      if (d.firmware && known.last?.firmware && d.firmware !== known.last.firmware) changes.firmware = { from: known.last.firmware, to: d.firmware };
      if (d.rtspMainUrl && d.rtspMainUrl !== known.rtspUrl) {
        changes.rtspUrl = { from: known.rtspUrl, to: d.rtspMainUrl };
        update.rtspUrl = d.rtspMainUrl;
      }
      if (d.rtspSubUrl && d.rtspSubUrl !== known.rtspSubUrl) {
        changes.rtspSubUrl = { from: known.rtspSubUrl, to: d.rtspSubUrl };
        update.rtspSubUrl = d.rtspSubUrl;
      }
      if (Object.keys(update).length > 0) {
        await this.repo.updateCameraAddresses(known.id, update, this.ctx.clock.now());
        this.ctx.bus.publish('camera:updated', { id: known.id, ownerUserId: known.ownerUserId });
      }
    }
    return this.repo.insertDevice(scanId, d, { cameraId: known?.id ?? null, changes });
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
