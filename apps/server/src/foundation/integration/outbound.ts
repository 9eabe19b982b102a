import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

/**
 * Calls the server makes on others' behalf (A2A agents it hosts, A2A clients' push notifications), kept from becoming
 * a way into the server's own network (SSRF). A URL passes `refusal` only if it is http(s) and its host is allowed
 * (`IOA_A2A_ALLOWED_HOSTS` or `IOA_A2A_PUSH_ALLOWED_HOSTS`: host names, `*.example.com`, IP addresses, CIDR ranges;
 * empty allows nothing). At connect time every address the
 * name resolves to must be public, unless an IP or CIDR entry allows it: a name allowed by name that resolves (or
 * rebinds) to a private, loopback or link-local address is refused. Redirects are never followed.
 */
export class OutboundPolicy {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly addresses = new BlockList();
  readonly dispatcher: Agent;

  /** `listName`: the setting `allowed` comes from, which refusals name. */
  constructor(allowed: readonly string[], private readonly listName = 'IOA_A2A_ALLOWED_HOSTS') {
    for (const entry of allowed.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
      const [ip, bits] = entry.split('/');
      const family = isIP(ip);
      if (family && bits !== undefined) this.addresses.addSubnet(ip, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      else if (family) this.addresses.addAddress(ip, family === 4 ? 'ipv4' : 'ipv6');
      else if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1));
      else this.names.add(entry);
    }
    this.dispatcher = new Agent({ connect: { lookup: (host, options, callback) => this.lookup(host, options, callback) } });
  }

  /** Why `raw` may not be called, or null: not http(s), or its host is not allowed. */
  refusal(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return `${raw.slice(0, 100)} is not a URL`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are called (not ${url.protocol})`;
    if (url.username || url.password) return 'a URL with credentials in it is not called (give the secret separately)';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return this.hostAllowed(host) ? null : `host ${host} is not allowed: an admin lists the hosts allowed in ${this.listName}`;
  }

  /** `fetch` under the policy: the URL checked, addresses checked as they are connected to, no redirects, a timeout. */
  async fetch(url: string, init: RequestInit & { timeoutMs: number }): Promise<Response> {
    const refused = this.refusal(url);
    if (refused) throw new OutboundRefused(refused);
    const res = await undiciFetch(url, { ...init, dispatcher: this.dispatcher, redirect: 'manual', signal: AbortSignal.any([AbortSignal.timeout(init.timeoutMs), ...(init.signal ? [init.signal] : [])]) });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new OutboundRefused(`${url} answered with a redirect (${res.status}), which is not followed`);
    }
    return res;
  }

  /** `fetch` with this policy as the WHATWG signature (for clients that take a `fetchImpl`). */
  fetchImpl(timeoutMs: number, headers: Record<string, string> = {}): typeof fetch {
    return (async (input: string | URL | Request, init?: globalThis.RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const merged = { ...Object.fromEntries(new Headers(init?.headers).entries()), ...headers };
      return this.fetch(url, { ...(init as RequestInit), headers: merged, timeoutMs });
    }) as unknown as typeof fetch;
  }

  private hostAllowed(host: string): boolean {
    const name = host.toLowerCase();
    const family = isIP(name);
    if (family) return this.addresses.check(name, family === 4 ? 'ipv4' : 'ipv6');
    return this.names.has(name) || this.suffixes.some((s) => name.endsWith(s));
  }

  private lookup(host: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void): void {
    dnsLookup(host, { ...options, all: true }, (err, found) => {
      if (err) return callback(err, []);
      const list = found as LookupAddress[];
      const bad = list.find((a) => !this.addresses.check(a.address, a.family === 4 ? 'ipv4' : 'ipv6') && isPrivate(a.address, a.family));
      if (bad) return callback(new OutboundRefused(`${host} resolves to ${bad.address}, a private address, which only an IP or CIDR entry of ${this.listName} allows`), []);
      const all = (options as { all?: boolean }).all;
      return all ? callback(null, list) : callback(null, list[0].address, list[0].family);
    });
  }
}

export class OutboundRefused extends Error {}

/**
 * Addresses that are not global unicast: loopback, private, link-local, carrier-grade NAT, benchmarking,
 * documentation, IETF and reserved ranges, multicast; for IPv6 also unique-local, site-local, and the transition
 * ranges that carry an IPv4 address (local-use NAT64, 6to4, Teredo, IPv4-compatible), which could reach a private one.
 * The well-known NAT64 prefix (64:ff9b::/96), which an IPv6-only host reaches every IPv4 agent through, is judged by
 * the IPv4 address it carries.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 96], ['64:ff9b:1::', 48], ['2001::', 32], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');

export function isPrivate(address: string, family: number): boolean {
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  if (family === 6 && NAT64.check(address, 'ipv6')) return PRIVATE.check(lastIpv4(address), 'ipv4');
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The IPv4 address in the last 32 bits of an IPv6 address (`64:ff9b::a00:1` or `64:ff9b::10.0.0.1`: 10.0.0.1). */
function lastIpv4(address: string): string {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) return dotted[1];
  const [hi, lo] = address.split(':').slice(-2).map((g) => parseInt(g || '0', 16));
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}
