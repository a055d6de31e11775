import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from './logger-options';

function loggerWritingTo(lines: string[]): pino.Logger {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino(loggerOptions('scanner', { logLevel: 'info' }).pinoHttp as pino.LoggerOptions, sink);
}

describe('loggerOptions', () => {
  it('names the app on every line and never writes authorization headers or secrets', () => {
    const lines: string[] = [];
    const logger = loggerWritingTo(lines);
    logger.info({ req: { headers: { authorization: 'Basic c2VjcmV0' } }, region: { secretAccessKey: 'minio-secret' } }, 'request');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ app: 'scanner', msg: 'request', req: { headers: { authorization: '[redacted]' } } });
    expect(lines[0]).not.toContain('c2VjcmV0');
    expect(lines[0]).not.toContain('minio-secret');
  });

  it('redacts the password of a URL in any field, message or error, keeping user and host', () => {
    const lines: string[] = [];
    const logger = loggerWritingTo(lines);
    const error = new Error('could not connect to postgres://lakemirror:Err-Pw-1@db.internal:5432/lakemirror');
    logger.warn(
      { err: error, dependency: { url: 'rediss://queue:Field-Pw-2@redis.internal:6380/0' }, query: '/x?password=Query-Pw-3' },
      'retrying redis://:Msg-Pw-4@cache:6379',
    );
    const [text] = lines;
    for (const password of ['Err-Pw-1', 'Field-Pw-2', 'Query-Pw-3', 'Msg-Pw-4']) expect(text).not.toContain(password);
    const line = JSON.parse(text);
    expect(line).toMatchObject({
      msg: 'retrying redis://:***@cache:6379',
      dependency: { url: 'rediss://queue:***@redis.internal:6380/0' },
      query: '/x?password=***',
      err: { message: 'could not connect to postgres://lakemirror:***@db.internal:5432/lakemirror' },
    });
    expect(line.err.stack).toContain('postgres://lakemirror:***@db.internal');
  });
});
