import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Outbound requests to addresses given by others (webhook targets, document URLs) must not reach this host or the
// province's internal network (SSRF). Refused: this host, private networks, link-local (cloud metadata at
// 169.254.169.254), shared and reserved ranges (RFC 6890 special-purpose registries), multicast, and IPv6 forms that
// embed IPv4 (NAT64, 6to4, Teredo). IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is checked against the IPv4 rules by BlockList
// itself.
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** True for an address no outbound request on others' behalf may reach (loopback, private, link-local, reserved, multicast). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Resolves host names (injectable so tests can make a name resolve to an internal address). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });
