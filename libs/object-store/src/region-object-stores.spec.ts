import { Secret } from '@lakemirror/config';
import { RegionObjectStores, UnknownRegionError } from './region-object-stores';

describe('RegionObjectStores', () => {
  const store = (endpoint: string) => ({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: new Secret('s') },
  });
  const lakefs = { endpoint: 'http://lakefs', accessKeyId: 'k', secretAccessKey: new Secret('s') };
  const stores = new RegionObjectStores({
    source: { lakefs, objectStore: store('http://127.0.0.1:9100') },
    regions: [
      { name: 'eu', lakefs, objectStore: store('http://127.0.0.1:9200'), storageNamespaces: [] },
      { name: 'us', lakefs, objectStore: store('http://127.0.0.1:9300'), storageNamespaces: [] },
    ],
  });
  afterAll(() => stores.destroy());

  it('gives each region its own client, created once', async () => {
    const eu = stores.region('eu');
    expect(stores.region('eu')).toBe(eu);
    expect(stores.region('us')).not.toBe(eu);
    expect((await eu.config.endpoint?.())?.port).toBe(9200);
    expect((await stores.source.config.endpoint?.())?.port).toBe(9100);
    expect(await eu.config.forcePathStyle).toBe(true);
  });

  it('names the configured regions when asked for another', () => {
    expect(() => stores.region('mars')).toThrow(UnknownRegionError);
    expect(() => stores.region('mars')).toThrow('unknown region "mars"; configured regions: eu, us');
  });
});
