/**
 * IPv4 CIDR arithmetic for discovery (pure). A scan may only touch addresses inside the
 * configured allowed ranges, and never more than MAX_SCAN_ADDRESSES of them at once.
 */

/** A /20 at most: 4096 addresses. */
export const MAX_SCAN_PREFIX = 20;
export const MAX_SCAN_ADDRESSES = 2 ** (32 - MAX_SCAN_PREFIX);

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
  /** Number of addresses in the block. */
  size: number;
}

export class CidrError extends Error {
  override name = 'CidrError';
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new CidrError(`"${ip}" is not an IPv4 address`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new CidrError(`"${ip}" is not an IPv4 address`);
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIpv4(s: string): boolean {
  try {
    ipToInt(s);
    return true;
  } catch {
    return false;
  }
}

/** "a.b.c.d/n" (a bare address is a /32). The host bits must be zero unless `loose`. */
export function parseCidr(text: string, loose = true): Cidr {
  const m = /^\s*([0-9.]+)(?:\/(\d{1,2}))?\s*$/.exec(text);
  if (!m) throw new CidrError(`"${text}" is not an IPv4 CIDR range (like 127.0.1.0/28)`);
  const prefix = m[2] === undefined ? 32 : Number(m[2]);
  if (prefix > 32) throw new CidrError(`prefix /${prefix} is larger than /32`);
  const addr = ipToInt(m[1]!);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const base = (addr & mask) >>> 0;
  if (!loose && base !== addr) throw new CidrError(`"${text}" has host bits set; did you mean ${intToIp(base)}/${prefix}?`);
  return { base, prefix, size: 2 ** (32 - prefix) };
}

export function cidrContains(c: Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  return n >= c.base && n < c.base + c.size;
}

/** True when `ip` lies inside one of `ranges` (CIDR strings). Malformed input is never inside. */
export function inRanges(ip: string, ranges: readonly string[]): boolean {
  if (!isIpv4(ip)) return false;
  return ranges.some((r) => {
    try {
      return cidrContains(parseCidr(r), ip);
    } catch {
      return false;
    }
  });
}

/** True when the whole block lies inside one allowed range. */
export function cidrWithin(inner: Cidr, ranges: readonly string[]): boolean {
  return ranges.some((r) => {
    try {
      const outer = parseCidr(r);
      return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
    } catch {
      return false;
    }
  });
}

/**
 * The addresses a scan of `range` probes: host addresses only (network and broadcast skipped for
 * blocks of 4 or more). Throws when the range is malformed, outside `allowed`, or too large.
 */
export function scanAddresses(range: string, allowed: readonly string[], maxAddresses = MAX_SCAN_ADDRESSES): string[] {
  const c = parseCidr(range);
  if (c.size > maxAddresses) {
    throw new CidrError(`range ${range} has ${c.size} addresses; at most ${maxAddresses} (a /${32 - Math.log2(maxAddresses)}) may be scanned at once`);
  }
  if (!cidrWithin(c, allowed)) throw new CidrError(`range ${range} is outside the allowed discovery ranges (${allowed.join(', ')})`);
  const out: string[] = [];
  const skipEdges = c.size >= 4;
  for (let i = 0; i < c.size; i++) {
    if (skipEdges && (i === 0 || i === c.size - 1)) continue;
    out.push(intToIp(c.base + i));
  }
  return out;
}
