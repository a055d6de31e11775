import { HttpException } from '@nestjs/common';
import { parsePromoteRequest } from './promote-request';

function errorsOf(body: unknown): Record<string, string> {
  try {
    parsePromoteRequest(body, 'sales-eu');
  } catch (error) {
    expect((error as HttpException).getStatus()).toBe(400);
    return ((error as HttpException).getResponse() as { errors: Record<string, string> }).errors;
  }
  throw new Error('expected a 400');
}

describe('parsePromoteRequest', () => {
  it('takes the mirror ID as confirmation, force off by default', () => {
    expect(parsePromoteRequest({ confirm: 'sales-eu' }, 'sales-eu')).toEqual({ confirm: 'sales-eu', force: false });
    expect(parsePromoteRequest({ confirm: 'sales-eu', force: true }, 'sales-eu')).toEqual({ confirm: 'sales-eu', force: true });
  });

  it('names confirm when it is absent, empty, of another mirror or not a string', () => {
    for (const body of [undefined, null, {}, { confirm: '' }, { confirm: 'sales-us' }, { confirm: true }, [], 'sales-eu', { force: true }]) {
      expect(Object.keys(errorsOf(body))).toContain('confirm');
    }
    expect(errorsOf({ confirm: 'sales-us' }).confirm).toContain('"sales-eu"');
  });

  it('names force when it is not a boolean, and refuses unknown fields', () => {
    expect(errorsOf({ confirm: 'sales-eu', force: 'yes' })).toEqual({ force: 'must be true or false' });
    expect(errorsOf({ confirm: 'sales-eu', Force: true })).toEqual({ Force: 'is not a known field' });
  });
});
