import { splitListPage, xmlText } from './list-page';

const contents = (key: string) =>
  `<Contents><Key>${key}</Key><LastModified>2026-11-26T21:00:00.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`;
const head =
  '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>';
const tail = '<NextContinuationToken>t&amp;1</NextContinuationToken></ListBucketResult>';

describe('splitListPage', () => {
  it('takes each key out of its <Contents> and keeps every other element of the page', () => {
    const page = splitListPage(Buffer.from(head + contents('p/a') + contents('p/b') + tail));
    expect(page.keys).toEqual(['p/a', 'p/b']);
    expect(page.rest.toString()).toBe(head + tail);
  });

  it('keeps what lies between <Contents> elements', () => {
    const between = '<CommonPrefixes><Prefix>p/dir/</Prefix></CommonPrefixes>';
    const page = splitListPage(Buffer.from(head + contents('p/a') + between + contents('p/b') + tail));
    expect(page.keys).toEqual(['p/a', 'p/b']);
    expect(page.rest.toString()).toBe(head + between + tail);
  });

  it('decodes keys as UTF-8 with their references resolved', () => {
    const page = splitListPage(Buffer.from(head + contents('p/caf\u00e9 &amp; &lt;b&gt; &#x1;&#13;') + tail));
    expect(page.keys).toEqual(['p/caf\u00e9 & <b> \u0001\r']);
  });

  it('returns anything that is not a page of keys whole, with no keys', () => {
    const error = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code></Error>');
    expect(splitListPage(error)).toEqual({ keys: [], rest: error });
    expect(splitListPage(Buffer.alloc(0))).toEqual({ keys: [], rest: Buffer.alloc(0) });
    const empty = Buffer.from(head + tail);
    expect(splitListPage(empty)).toEqual({ keys: [], rest: empty });
  });
});

describe('xmlText', () => {
  it('resolves named, decimal and hexadecimal references and leaves unknown ones as they are', () => {
    expect(xmlText('a&amp;b&quot;c&apos;d&#65;&#x42;&#x1F600;&nbsp;')).toBe('a&b"c\'dAB\u{1F600}&nbsp;');
    expect(xmlText('plain/key')).toBe('plain/key');
  });
});
