import type { Params } from 'nestjs-pino';
import { type LakemirrorConfig, redactUrlsIn } from '@lakemirror/config';

/**
 * pino settings shared by every app: JSON lines, the app's name on each, credentials never
 * written: known secret fields are censored, and every finished line has the passwords of its
 * URLs redacted (in any field, error messages and stacks included).
 */
export function loggerOptions(app: string, config: Pick<LakemirrorConfig, 'logLevel'>): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.secretAccessKey', '*.password'],
        censor: '[redacted]',
      },
      hooks: { streamWrite: redactUrlsIn },
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
  };
}
