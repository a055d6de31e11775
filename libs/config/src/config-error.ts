import { redactUrlsIn } from './redact-url';

/** Thrown at start-up when settings are missing or wrong; lists every problem, one per line, passwords of URLs redacted. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    const redacted = problems.map(redactUrlsIn);
    super(`invalid configuration: ${redacted.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = redacted;
  }
}
