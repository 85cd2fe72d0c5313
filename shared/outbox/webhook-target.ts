import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where the hub may send a webhook (server-side request forgery): a bureau registers a URL and the hub POSTs
 * to it from inside our network, so a URL naming (or resolving to) an internal address would make the hub a
 * proxy into it. The rule, applied at registration and again before every delivery (DNS answers change):
 * resolve the host once, classify every address it resolves to with ipaddr.js, refuse anything but public
 * unicast unless configuration allows it, and hand the caller the checked address so it connects to exactly
 * that one (webhook-send.ts pins the connection to it: no second look-up, so no DNS rebinding).
 * See docs/security.md, "Outbound calls".
 */
export interface OutboundPolicy {
  /** Plain http:// is allowed only when every address is loopback and this is set (development, tests). */
  allowLocalHttp: boolean;
  /** Host names (lower case) trusted whatever they resolve to: an operator's explicit exception. */
  allowedHosts: readonly string[];
  /** Address ranges allowed although not public (outside production: loopback only). */
  allowedCidrs: readonly Cidr[];
  /** Bound on the DNS look-up. */
  resolveTimeoutMs: number;
}

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Resolves a host name to every address it has; replaced by a stub in tests, which never resolve for real. */
export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** A URL that passed the rule, with the address it was checked against: the only one to connect to. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type TargetCheck = { ok: true; target: CheckedTarget } | { ok: false; reason: string };

/** Parses `127.0.0.0/8,::1/128`; throws naming the entry that is not a CIDR (the config schema reports it). */
export function parseCidrs(list: string): Cidr[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (!ipaddr.isValidCIDR(entry)) throw new Error(`"${entry}" is not an address range like 10.0.0.0/8`);
      return ipaddr.parseCIDR(entry);
    });
}

export const LOOPBACK_CIDRS = '127.0.0.0/8,::1/128';

/**
 * Why an address may not be called, or null when it may. Only public unicast passes: ipaddr.js names every
 * other range (loopback, private, link-local, multicast, unspecified, broadcast, carrier-grade NAT, unique-local,
 * reserved and documentation ranges), and the IPv6 forms that carry an IPv4 address inside (6to4, Teredo,
 * NAT64) are refused too, since what they reach is decided by a translator we do not see. IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`) is judged as the IPv4 address it is.
 */
function addressProblem(address: string, allowedCidrs: readonly Cidr[]): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  if (allowedCidrs.some((cidr) => cidr[0].kind() === parsed.kind() && parsed.match(cidr))) return null;
  const range = parsed.range();
  if (range === 'unicast') return null;
  return `resolves to ${parsed.toString()}, in the ${RANGE_NAMES[range] ?? range} range, which webhooks may not reach`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local',
  reserved: 'reserved',
};

/** The whole rule for one URL: scheme, credentials, resolution, every address. */
export async function checkWebhookTarget(
  url: string,
  policy: OutboundPolicy,
  resolve: Resolver = systemResolver,
): Promise<TargetCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (parsed.username || parsed.password) return { ok: false, reason: 'must not carry credentials' };
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { ok: false, reason: 'must be an https:// URL' };
  // WHATWG parsing has already turned numeric forms (`2130706433`, `0x7f.1`, `017700000001`) into dotted IPv4.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await withTimeout(resolve(host), policy.resolveTimeoutMs);
    } catch {
      return { ok: false, reason: 'has a host name that does not resolve' };
    }
    if (addresses.length === 0) return { ok: false, reason: 'has a host name that does not resolve' };
  }
  const trustedHost = policy.allowedHosts.includes(host);
  for (const address of addresses) {
    const problem = trustedHost ? null : addressProblem(address, policy.allowedCidrs);
    if (problem) return { ok: false, reason: problem };
  }
  if (parsed.protocol === 'http:') {
    const local = policy.allowLocalHttp && addresses.every((a) => ipaddr.process(a).range() === 'loopback');
    if (!local) return { ok: false, reason: 'must be an https:// URL' };
  }
  const address = addresses[0];
  return {
    ok: true,
    target: { url: parsed, address, family: ipaddr.parse(address).kind() === 'ipv4' ? 4 : 6 },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
