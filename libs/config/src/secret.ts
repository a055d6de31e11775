import { inspect } from 'node:util';

/**
 * A credential that refuses to be printed: JSON, string conversion and util.inspect
 * (so pino and console) all show "[redacted]". Call reveal() where the value is sent.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}
