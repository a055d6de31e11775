import { parseTrustedProxies } from './trusted-proxies';

describe('parseTrustedProxies', () => {
  it('trusts nobody by default, or a number of hops, or addresses, CIDRs and named ranges', () => {
    expect(parseTrustedProxies(undefined)).toEqual({ trusted: false });
    expect(parseTrustedProxies('0')).toEqual({ trusted: false });
    expect(parseTrustedProxies('1')).toEqual({ trusted: 1 });
    expect(parseTrustedProxies('10.0.0.0/8, 192.168.1.7,fd00::/8, loopback')).toEqual({ trusted: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'loopback'] });
  });

  it('names what it cannot read', () => {
    expect(parseTrustedProxies('11').problem).toBe('LAKEMIRROR_TRUSTED_PROXIES must be a hop count from 0 to 10, got "11"');
    expect(parseTrustedProxies('10.0.0.0/33,proxy.local,1.2.3.4/8/1').problem).toBe(
      'LAKEMIRROR_TRUSTED_PROXIES must be a hop count or addresses/CIDRs (or loopback, linklocal, uniquelocal), got "10.0.0.0/33", "proxy.local", "1.2.3.4/8/1"',
    );
  });
});
