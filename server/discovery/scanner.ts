/**
 * One scan, independent of storage: find devices (multicast Probe, or unicast Probes to a range
 * plus an ONVIF GetSystemDateAndTime fallback on the configured ports), deduplicate them by
 * endpoint reference, read each one's details with bounded concurrency, and stop at the deadline.
 * Results go to the sink as they arrive.
 */
import { isIpv4 } from './cidr';
import type { DeviceErrorCode } from './errors';
import { checkOnvif, emptyDetails, probeDevice, type DeviceDetails, type ProberOptions, type ScanCredentials } from './onvif-prober';
import { validateXAddrs } from './ws-discovery';
import { multicastProbe, unicastProbe, type ProbeOptions, type ProbeReply } from './ws-discovery-client';
import { classifyError } from './errors';

export interface ScanSettings {
  interfaceAddress: string;
  allowedRanges: readonly string[];
  probeTimeoutMs: number;
  scanTimeoutMs: number;
  soapTimeoutMs: number;
  maxResponseBytes: number;
  concurrency: number;
  onvifPorts: readonly number[];
  maxMatchesPerReply: number;
  maxDevicesPerScan: number;
}

export type ScanPlan = { method: 'multicast' } | { method: 'unicast'; addresses: string[] };

export interface FoundDevice extends DeviceDetails {
  endpointReference: string;
  address: string;
  onvifUrl: string | null;
  xaddrs: string[];
  xaddrMismatch: boolean;
  scopes: string[];
}

export interface ScanSink {
  device(d: FoundDevice): Promise<void> | void;
  progress(done: number, total: number): void;
  dropped?(source: string, reason: string): void;
  /** Datagrams the kernel dropped before they were read. */
  kernelDrops?(count: number): void;
  /** A device that could not be probed or stored: logged and shown in the scan result. */
  failed?(address: string, message: string): void;
}

/** The transport pieces, injectable for unit tests. */
export interface ScanTransport {
  multicastProbe(o: ProbeOptions): Promise<void>;
  unicastProbe(addresses: readonly string[], o: ProbeOptions): Promise<void>;
  probeDevice: typeof probeDevice;
  checkOnvif: typeof checkOnvif;
}

export const realTransport: ScanTransport = { multicastProbe, unicastProbe, probeDevice, checkOnvif };

/** Runs tasks with at most `limit` at once; stops taking new ones once aborted. */
class Pool {
  private running = 0;
  private readonly waiting: Array<() => Promise<void>> = [];
  private idle: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly signal: AbortSignal,
    private readonly onError?: (e: unknown) => void,
  ) {}

  add(task: () => Promise<void>): void {
    if (this.signal.aborted) return;
    this.waiting.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.limit && this.waiting.length > 0 && !this.signal.aborted) {
      const task = this.waiting.shift()!;
      this.running += 1;
      void task()
        .catch((e: unknown) => this.onError?.(e))
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
    if (this.running === 0 && (this.waiting.length === 0 || this.signal.aborted)) {
      const fns = this.idle;
      this.idle = [];
      for (const f of fns) f();
    }
  }

  drained(): Promise<void> {
    if (this.running === 0 && (this.waiting.length === 0 || this.signal.aborted)) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}

export async function runScan(
  plan: ScanPlan,
  creds: ScanCredentials | undefined,
  s: ScanSettings,
  sink: ScanSink,
  opts: { signal?: AbortSignal; transport?: ScanTransport } = {},
): Promise<{ timedOut: boolean; capped: string | null }> {
  const t = opts.transport ?? realTransport;
  const ac = new AbortController();
  const deadline = setTimeout(() => ac.abort(), s.scanTimeoutMs);
  deadline.unref();
  opts.signal?.addEventListener('abort', () => ac.abort());
  // Tasks report their own failures with the address (guarded below); this is the last resort.
  const pool = new Pool(s.concurrency, ac.signal, (e) => sink.failed?.('unknown', (e as Error)?.message ?? String(e)));
  const seen = new Set<string>();
  const planned = plan.method === 'unicast' ? new Set(plan.addresses) : undefined;
  let capped: string | null = null;
  /**
   * Claims a slot for a new device, one per endpoint and address: a repeated reply is dropped, but
   * one endpoint from two addresses is kept twice (the service flags that clash). False once the
   * scan holds maxDevicesPerScan.
   */
  const claim = (endpoint: string, source: string): boolean => {
    const key = `${endpoint}\n${source}`;
    if (seen.has(key)) return false;
    if (seen.size >= s.maxDevicesPerScan) {
      capped = `more than ${s.maxDevicesPerScan} devices answered; the rest were dropped`;
      sink.dropped?.(source, 'device over the per-scan limit');
      return false;
    }
    seen.add(key);
    return true;
  };
  const guarded = (address: string, task: () => Promise<void>) => async () => {
    try {
      await task();
    } catch (e) {
      sink.failed?.(address, (e as Error)?.message ?? String(e));
    }
  };
  const respondedAddresses = new Set<string>();
  const prober: ProberOptions = { timeoutMs: s.soapTimeoutMs, maxBytes: s.maxResponseBytes, allowedRanges: s.allowedRanges };
  const total = plan.method === 'unicast' ? plan.addresses.length : 0;
  let done = 0;

  const emit = async (d: FoundDevice) => {
    if (ac.signal.aborted) return;
    await sink.device(d);
  };

  const onReply = (reply: ProbeReply) => {
    if (planned && !planned.has(reply.source)) return sink.dropped?.(reply.source, 'source is not one of the scanned addresses');
    respondedAddresses.add(reply.source);
    for (const m of reply.matches) {
      if (!claim(m.endpointReference, reply.source)) continue;
      const verdict = validateXAddrs(m.xaddrs, reply.source, s.allowedRanges);
      const mismatch = verdict.rejected.some((r) => r.reason === 'address_mismatch');
      const base = {
        endpointReference: m.endpointReference,
        address: reply.source,
        xaddrs: m.xaddrs,
        xaddrMismatch: mismatch,
        scopes: m.scopes,
      };
      const follow = verdict.accepted[0];
      if (!follow) {
        pool.add(guarded(reply.source, async () =>
          emit({
            ...base,
            onvifUrl: null,
            ...emptyDetails('not_onvif', mismatch ? 'the device reported service addresses that are not its own' : 'the device reported no usable service address'),
          }),
        ));
        continue;
      }
      const url = new URL(follow);
      pool.add(guarded(reply.source, async () => {
        const details = await t.probeDevice({ address: reply.source, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), path: url.pathname }, creds, prober);
        await emit({ ...base, onvifUrl: follow, ...details });
      }));
    }
  };
  const probeOpts: ProbeOptions = {
    interfaceAddress: s.interfaceAddress,
    allowedRanges: s.allowedRanges,
    timeoutMs: s.probeTimeoutMs,
    maxBytes: s.maxResponseBytes,
    signal: ac.signal,
    onReply,
    onDrop: (src, reason) => sink.dropped?.(src, reason),
    onKernelDrops: (n) => sink.kernelDrops?.(n),
    maxMatchesPerReply: s.maxMatchesPerReply,
  };

  try {
    if (plan.method === 'multicast') {
      await t.multicastProbe(probeOpts);
    } else {
      await t.unicastProbe(plan.addresses, probeOpts);
      // Addresses that did not answer WS-Discovery: is there an ONVIF device service anyway?
      for (const address of plan.addresses) {
        if (respondedAddresses.has(address) || !isIpv4(address)) {
          done += 1;
          continue;
        }
        const check = async () => {
          let lastError: { code: DeviceErrorCode; detail: string } | undefined;
          for (const port of s.onvifPorts) {
            if (ac.signal.aborted) return;
            const target = { address, port, path: '/onvif/device_service' };
            try {
              await t.checkOnvif(target, prober);
            } catch (e) {
              const err = classifyError(e);
              // Nothing listening is not a device; anything else that answered on the port is reported.
              if (err.code !== 'unreachable') lastError = { code: err.code, detail: err.detail };
              continue;
            }
            const endpointReference = `urn:skyeye:onvif:${address}:${port}`;
            if (!claim(endpointReference, address)) return;
            const details = await t.probeDevice(target, creds, prober);
            await emit({
              endpointReference,
              address,
              onvifUrl: `http://${address}:${port}/onvif/device_service`,
              xaddrs: [],
              xaddrMismatch: false,
              scopes: [],
              ...details,
            });
            return;
          }
          if (lastError && (lastError.code === 'timeout' || lastError.code === 'malformed_response')) {
            const endpointReference = `urn:skyeye:onvif:${address}`;
            if (!claim(endpointReference, address)) return;
            await emit({ endpointReference, address, onvifUrl: null, xaddrs: [], xaddrMismatch: false, scopes: [], ...emptyDetails(lastError.code, lastError.detail) });
          }
        };
        pool.add(async () => {
          try {
            await guarded(address, check)();
          } finally {
            done += 1;
            if (done % 16 === 0) sink.progress(done, total);
          }
        });
      }
    }
    await pool.drained();
  } finally {
    clearTimeout(deadline);
  }
  sink.progress(total, total);
  return { timedOut: ac.signal.aborted && !opts.signal?.aborted, capped };
}
