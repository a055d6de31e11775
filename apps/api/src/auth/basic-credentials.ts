/** What a request's Authorization header holds: lakeFS basic credentials, a bearer token, nothing, or garbage. */
export type PresentedCredentials =
  { kind: 'missing' } | { kind: 'malformed' } | { kind: 'basic'; accessKeyId: string; secretAccessKey: string } | { kind: 'bearer'; token: string };

/** Parses an Authorization header (the one parser of basic credentials: the API's guard, Bull Board and /metrics use it). */
export function parseAuthorization(header: string | undefined): PresentedCredentials {
  if (!header) return { kind: 'missing' };
  const space = header.indexOf(' ');
  if (space <= 0) return { kind: 'malformed' };
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && value) return { kind: 'bearer', token: value };
  if (scheme !== 'basic') return { kind: 'malformed' };
  const decoded = Buffer.from(value, 'base64').toString();
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'malformed' };
  return { kind: 'basic', accessKeyId: decoded.slice(0, colon), secretAccessKey: decoded.slice(colon + 1) };
}
