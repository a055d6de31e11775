import type { Request } from 'express';

/**
 * The client's address as Express computes it: the socket's peer, or the X-Forwarded-For entry
 * that LAKEMIRROR_TRUSTED_PROXIES allows. IPv4 addresses mapped into IPv6 are shown as IPv4.
 */
export function clientAddress(request: Request): string {
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
