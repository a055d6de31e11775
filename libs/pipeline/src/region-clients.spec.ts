import { loadConfig } from '@lakemirror/config';
import { UnknownRegionError } from '@lakemirror/object-store';
import { RegionClients } from './region-clients';

const config = loadConfig({
  LAKEMIRROR_DATABASE_URL: 'postgres://db/lakemirror',
  LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: 'http://source:8000',
  LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID: 'AKIASOURCE',
  LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY: 'source-secret',
  LAKEMIRROR_REGIONS: 'eu-west-1',
  LAKEMIRROR_REGION_EU_WEST_1_LAKEFS_ENDPOINT: 'http://eu:8000',
  LAKEMIRROR_REGION_EU_WEST_1_LAKEFS_ACCESS_KEY_ID: 'AKIAEU',
  LAKEMIRROR_REGION_EU_WEST_1_LAKEFS_SECRET_ACCESS_KEY: 'eu-secret',
  LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES: 's3://eu-bucket/mirrors/',
});

describe('RegionClients', () => {
  let clients: RegionClients;
  beforeEach(() => (clients = new RegionClients(config)));
  afterEach(() => clients.onApplicationShutdown());

  it('builds one client per region and hands the same one out every time', () => {
    expect(clients.destination('eu-west-1')).toBe(clients.destination('eu-west-1'));
    expect(clients.destination('eu-west-1').endpoint).toBe('http://eu:8000/api/v1');
    expect(clients.objectStore('eu-west-1')).toBe(clients.objectStore('eu-west-1'));
    expect(clients.source.endpoint).toBe('http://source:8000/api/v1');
  });

  it('names the configured regions when asked for another', () => {
    expect(() => clients.destination('us-east-1')).toThrow(new UnknownRegionError('us-east-1', ['eu-west-1']));
    expect(() => clients.objectStore('us-east-1')).toThrow('unknown region "us-east-1"; configured regions: eu-west-1');
  });
});
