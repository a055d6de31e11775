import { isIP } from 'node:net';

/** Express's "trust proxy": none (false), a number of proxy hops, or the addresses/CIDRs of trusted proxies. */
export type TrustedProxies = false | number | string[];

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads LAKEMIRROR_TRUSTED_PROXIES: empty (X-Forwarded-For is ignored), a hop count (the nearest
 * N proxies are trusted), or comma-separated addresses, CIDRs, loopback, linklocal, uniquelocal.
 */
export function parseTrustedProxies(value: string | undefined): { trusted: TrustedProxies; problem?: string } {
  if (value === undefined) return { trusted: false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) return { trusted: false, problem: `LAKEMIRROR_TRUSTED_PROXIES must be a hop count from 0 to 10, got "${value}"` };
    return { trusted: hops === 0 ? false : hops };
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const wrong = entries.filter((e) => !isAddressOrRange(e));
  if (wrong.length > 0) {
    return {
      trusted: false,
      problem: `LAKEMIRROR_TRUSTED_PROXIES must be a hop count or addresses/CIDRs (or loopback, linklocal, uniquelocal), got "${wrong.join('", "')}"`,
    };
  }
  return { trusted: entries };
}
