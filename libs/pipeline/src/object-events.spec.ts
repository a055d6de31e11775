import { ObjectEventsError, createdObjectsOf } from './object-events';

const record = (eventName: string, bucket: string, key: string) => ({ eventName, s3: { bucket: { name: bucket }, object: { key, size: 3 } } });

describe('createdObjectsOf', () => {
  it('reads the bucket and the URL-decoded key of a MinIO webhook event', () => {
    const body = {
      EventName: 's3:ObjectCreated:Put',
      Key: 'b/k',
      Records: [record('s3:ObjectCreated:Put', 'lakemirror-region-b', 'mirrors/r/data/a%20b%2Bc+d%C3%A9')],
    };
    expect(createdObjectsOf(body)).toEqual([{ bucket: 'lakemirror-region-b', key: 'mirrors/r/data/a b+c dé' }]);
  });

  it('reads every created object of an S3 notification and leaves out other events', () => {
    const body = {
      Records: [
        record('ObjectCreated:Put', 'b1', 'x/1'),
        record('ObjectRemoved:Delete', 'b1', 'x/2'),
        record('ObjectCreated:CompleteMultipartUpload', 'b1', 'x/3'),
        record('s3:Replication:OperationCompletedReplication', 'b1', 'x/4'),
      ],
    };
    expect(createdObjectsOf(body)).toEqual([
      { bucket: 'b1', key: 'x/1' },
      { bucket: 'b1', key: 'x/3' },
    ]);
  });

  it('reads an EventBridge "Object Created" event, whose key is not encoded', () => {
    const body = { 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: 'b' }, object: { key: 'a+b %20' } } };
    expect(createdObjectsOf(body)).toEqual([{ bucket: 'b', key: 'a+b %20' }]);
    expect(createdObjectsOf({ 'detail-type': 'Object Deleted', detail: {} })).toEqual([]);
  });

  it("gives nothing for S3's test event", () => {
    expect(createdObjectsOf({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' })).toEqual([]);
  });

  it.each([
    ['a string', 'not json', 'body'],
    ['neither shape', { hello: 1 }, 'Records'],
    ['a record without s3', { Records: [{ eventName: 'ObjectCreated:Put' }] }, 'Records[0].s3'],
    ['a record without an event name', { Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] }, 'Records[0].eventName'],
    ['a record without a key', { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: {} } }] }, 'Records[0].s3.object.key'],
    ['a badly encoded key', { Records: [record('ObjectCreated:Put', 'b', 'bad%E0%A4%A')] }, 'Records[0].s3.object.key'],
    ['an EventBridge event without its detail', { 'detail-type': 'Object Created' }, 'detail'],
  ])('refuses %s, naming the field', (_case, body, field) => {
    expect(() => createdObjectsOf(body)).toThrow(ObjectEventsError);
    try {
      createdObjectsOf(body);
    } catch (error) {
      expect((error as ObjectEventsError).field).toBe(field);
    }
  });
});
