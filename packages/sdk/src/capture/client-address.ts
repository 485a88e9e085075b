/**
 * The client's network, as a fingerprint input: the first `X-Forwarded-For`
 * hop when the server trusts its proxy, else the socket's peer. Cut to its
 * network (IPv4 /24, IPv6 /48): requests of one conversation from a cloud
 * client's pool of egress addresses, or a device's rotating IPv6 privacy
 * address, stay together, and less of the address is kept (docs/adr/0104).
 */
export function clientAddressOf(
  forwardedFor: string | undefined,
  peer: string | undefined,
  trustProxy: boolean,
): string | undefined {
  const hop = trustProxy ? forwardedFor?.split(',')[0]?.trim() : undefined;
  const address = hop || peer;
  return address ? unmapped(address) : undefined;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) → `10.0.0.1`. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}

export function networkOf(address: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  const groups = expandIPv6(address.replace(/%.*$/, ''));
  return groups ? `${groups.slice(0, 3).join(':')}::/48` : address;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded; undefined if it is not one. */
function expandIPv6(address: string): string[] | undefined {
  const halves = address.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))
    ? groups.map((group) => group.replace(/^0+(?=.)/, ''))
    : undefined;
}
