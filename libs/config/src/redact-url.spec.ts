import { redactUrl, redactUrlsIn } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['postgres://lakemirror:s3cret@db.example:5432/lakemirror', 'postgres://lakemirror:***@db.example:5432/lakemirror'],
    ['rediss://queue-user:p%40ss@redis.example:6380/1', 'rediss://queue-user:***@redis.example:6380/1'],
    ['redis://:only-password@127.0.0.1:6379', 'redis://:***@127.0.0.1:6379'],
    ['postgres://u:raw@password@db/x', 'postgres://u:***@db/x'],
    ['postgres://u@db/x?sslmode=require&password=s3cret&application_name=a', 'postgres://u@db/x?sslmode=require&password=***&application_name=a'],
    ['postgres://u@db/x?PASSWORD=s3cret', 'postgres://u@db/x?PASSWORD=***'],
    ['postgres://u:p@[::1]:5432/x', 'postgres://u:***@[::1]:5432/x'],
  ])('%s → %s', (url, printed) => {
    expect(redactUrl(url)).toBe(printed);
  });

  it('leaves URLs without a password as they are', () => {
    for (const url of ['postgres://postgres@127.0.0.1:5432/lakemirror', 'redis://127.0.0.1:6379/2', 'https://lakefs.example.com/api/v1']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

describe('redactUrlsIn', () => {
  it('redacts every URL of a message, and libpq key=value passwords', () => {
    const message = 'could not connect to postgres://a:one@db/x nor redis://b:two@cache:6379 (host=db password=three user=a)';
    expect(redactUrlsIn(message)).toBe('could not connect to postgres://a:***@db/x nor redis://b:***@cache:6379 (host=db password=*** user=a)');
  });

  it('keeps a JSON log line valid, with quotes and escapes inside the password', () => {
    const line = JSON.stringify({ msg: 'failed', url: 'redis://u:pa"ss\\word@cache:6379/0', other: 'a@b' });
    const redacted = redactUrlsIn(line);
    expect(JSON.parse(redacted)).toEqual({ msg: 'failed', url: 'redis://u:***@cache:6379/0', other: 'a@b' });
  });
});
