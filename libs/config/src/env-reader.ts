import { accessSync, constants, statSync } from 'node:fs';
import { Secret } from './secret';

/** Reads environment variables, collecting one readable problem per missing or wrong setting. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  required(name: string, what: string): string {
    const value = this.optional(name);
    if (value === undefined) this.problems.push(`${name} is not set (${what})`);
    return value ?? '';
  }

  secret(name: string, what: string): Secret {
    return new Secret(this.required(name, what));
  }

  url(name: string, what: string, protocols: string[], fallback?: string): string {
    const value = this.optional(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(`${name} is not set (${what})`);
      return '';
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(`${name} is not a valid URL (${what})`);
      return value;
    }
    if (!protocols.includes(parsed.protocol)) {
      this.problems.push(`${name} must use ${protocols.join(' or ')} (${what}), got ${parsed.protocol}`);
    }
    return value;
  }

  /** The path of a readable file (a CA certificate, a client certificate or key), when set. */
  file(name: string, what: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    try {
      accessSync(value, constants.R_OK);
      if (!statSync(value).isFile()) throw new Error('not a file');
    } catch {
      this.problems.push(`${name} must name a readable file (${what}), got "${value}"`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
    this.problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.optional(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }

  /** A whole number within [min, max]. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || number < min || number > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return number;
  }

  port(name: string, fallback: number): number {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.problems.push(`${name} must be a TCP port (1-65535), got "${value}"`);
      return fallback;
    }
    return port;
  }
}
