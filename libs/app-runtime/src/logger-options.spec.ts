import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from './logger-options';

describe('loggerOptions', () => {
  it('names the app on every line and never writes authorization headers or secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const options = loggerOptions('scanner', { logLevel: 'info' }).pinoHttp as pino.LoggerOptions;
    const logger = pino(options, sink);
    logger.info({ req: { headers: { authorization: 'Basic c2VjcmV0' } }, region: { secretAccessKey: 'minio-secret' } }, 'request');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ app: 'scanner', msg: 'request', req: { headers: { authorization: '[redacted]' } } });
    expect(lines[0]).not.toContain('c2VjcmV0');
    expect(lines[0]).not.toContain('minio-secret');
  });
});
