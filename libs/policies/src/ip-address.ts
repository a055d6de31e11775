import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';

function familyOf(address: string): Family | undefined {
  // Zoned IPv6 addresses (fe80::1%eth0) are not addresses lakeFS accepts.
  if (address.includes('%')) return undefined;
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** Whether `value` is an IP address (IPv4 or IPv6). */
export function isIpAddress(value: string): boolean {
  return familyOf(value) !== undefined;
}

/** An address block as written in a policy: `10.0.0.0/8` or a single address. */
function blockOf(value: string): BlockList | undefined {
  const list = new BlockList();
  const slash = value.indexOf('/');
  if (slash < 0) {
    const family = familyOf(value);
    if (!family) return undefined;
    list.addAddress(value, family);
    return list;
  }
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const family = familyOf(address);
  if (!family || !/^\d{1,3}$/.test(bits) || Number(bits) > (family === 'ipv4' ? 32 : 128)) return undefined;
  list.addSubnet(address, Number(bits), family);
  return list;
}

/** Whether `value` is an address or a CIDR block. */
export function isIpOrCidr(value: string): boolean {
  return blockOf(value) !== undefined;
}

/**
 * Whether `address` lies in `block` (a CIDR block or a single address); undefined when `block`
 * is neither. IPv4-mapped IPv6 addresses match their IPv4 form, as Go's net package has it.
 */
export function ipInBlock(address: string, block: string): boolean | undefined {
  const list = blockOf(block);
  if (!list) return undefined;
  const family = familyOf(address);
  return family !== undefined && list.check(address, family);
}

/** `::ffff:10.1.2.3` (how Node reports IPv4 clients on a dual-stack socket) as `10.1.2.3`. */
export function unmapIpv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}
