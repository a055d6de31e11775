/** What a redacted password reads as. */
export const REDACTED_PASSWORD = '***';

// scheme://user:password@ — the password runs to the last "@" before the host (raw "@" in a
// password is common in hand-written URLs). JSON-escaped characters ("\x") are part of it, so a
// URL inside a log line is redacted without breaking the line's JSON.
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'<>\\]*):((?:[^\s/?#"'<>\\]|\\.)*)@/gi;
// password=... as a URL query parameter (PostgreSQL and Redis URLs) or a libpq key=value pair.
const PASSWORD_PARAMETER = /((?:^|[?&;\s])(?:password|passwd|pass|pwd|sslpassword)=)(?:[^&#;\s"'\\]|\\.)*/gi;

/**
 * Replaces every password in `text` (the password of each URL's user, `password=` parameters) by
 * "***", keeping the rest: users, hosts, ports and databases stay readable.
 */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${REDACTED_PASSWORD}@`).replace(PASSWORD_PARAMETER, `$1${REDACTED_PASSWORD}`);
}

/**
 * A connection URL fit to print: `postgres://lakemirror:***@db:5432/lakemirror`. The user is
 * kept, the password (and any `password=` query parameter) is replaced by "***".
 */
export function redactUrl(url: string): string {
  return redactUrlsIn(url);
}
