import type { Params } from 'nestjs-pino';
import type { LakemirrorConfig } from '@lakemirror/config';

/** pino settings shared by every app: JSON lines, the app's name on each, credentials never written. */
export function loggerOptions(app: string, config: Pick<LakemirrorConfig, 'logLevel'>): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.secretAccessKey', '*.password'],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
  };
}
