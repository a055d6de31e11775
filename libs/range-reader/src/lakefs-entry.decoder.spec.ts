import { decodeEntryAddress, decodeRangeEntry } from './lakefs-entry.decoder';
import { EntryMessage } from './lakefs-protos';
import { RangeReaderError } from './range-reader.errors';
import { lakefsValue } from './sstable.fixture';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  return [...out, Number(v)];
}
const tag = (field: number, wireType: number) => varint(BigInt((field << 3) | wireType));
const delimited = (field: number, bytes: number[] | Buffer) => [...tag(field, 2), ...varint(BigInt(bytes.length)), ...bytes];
const text = (field: number, s: string) => delimited(field, Buffer.from(s));
const decode = (data: number[] | Buffer, path = 'p') => {
  const value = lakefsValue(Buffer.from('identity'), Buffer.from(data));
  return decodeRangeEntry(path, value, 0, value.length, 'ranges/f');
};

/** What the reader made of an Entry before: protobufjs's decode, mapped the same way. */
function reference(data: Uint8Array) {
  const m = EntryMessage.toObject(EntryMessage.decode(data), { longs: Number, defaults: true }) as {
    address: string;
    last_modified: { seconds: number; nanos: number } | null;
    size: number;
    e_tag: string;
    metadata: Record<string, string>;
    address_type: number;
    content_type: string;
  };
  return {
    path: 'p',
    address: m.address,
    addressType: m.address_type === 2 || (m.address_type === 0 && HAS_SCHEME.test(m.address)) ? 'full' : 'relative',
    size: m.size,
    etag: m.e_tag,
    lastModified: new Date((m.last_modified?.seconds ?? 0) * 1000 + Math.floor((m.last_modified?.nanos ?? 0) / 1e6)),
    contentType: m.content_type,
    metadata: m.metadata ?? {},
  };
}

describe('decodeRangeEntry (lakeFS Entry protobuf)', () => {
  it('decodes random entries exactly as protobufjs does', () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const word = () => Array.from({ length: random(40) }, () => 'abcXYZ09/._-=é漢🙂'[random(16)]).join('');
    for (let i = 0; i < 500; i++) {
      const metadata: Record<string, string> = {};
      for (let k = random(4); k > 0; k--) metadata[`k${word()}`] = word();
      const object = {
        address: random(5) === 0 ? `s3://bucket/${word()}` : `data/${word()}`,
        last_modified: random(8) === 0 ? undefined : { seconds: random(2 ** 31) * (random(3) + 1), nanos: random(1e9) },
        size: random(3) === 0 ? random(2 ** 31) * 2 ** random(22) : random(1000),
        e_tag: random(6) === 0 ? '' : word(),
        metadata,
        address_type: random(3),
        content_type: random(2) ? 'application/octet-stream' : word(),
      };
      const data = Buffer.from(EntryMessage.encode(EntryMessage.fromObject(object)).finish());
      expect(decode(data)).toEqual(reference(data));
    }
  });

  it('reads 64-bit sizes and seconds, negative ones as protobuf int64', () => {
    const size = (n: bigint) => decode([...tag(3, 0), ...varint(n)]).size;
    expect(size(2n ** 32n)).toBe(2 ** 32);
    expect(size(2n ** 40n + 5n)).toBe(2 ** 40 + 5);
    expect(size(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(size(-1n)).toBe(-1);
    const seconds = decode(delimited(2, [...tag(1, 0), ...varint(4_102_444_800n), ...tag(2, 0), ...varint(5_000_000n)])).lastModified;
    expect(seconds.toISOString()).toBe('2100-01-01T00:00:00.005Z');
  });

  it('collects metadata map entries, a missing key or value reading as empty', () => {
    const entry = (key: number[], value: number[]) => delimited(5, [...key, ...value]);
    const metadata = decode([...entry(text(1, 'a'), text(2, '1')), ...entry(text(1, 'b'), []), ...entry([], text(2, 'z'))]).metadata;
    expect(metadata).toEqual({ a: '1', b: '', '': 'z' });
    expect(decode(text(1, 'x')).metadata).toEqual({});
  });

  it('skips unknown fields of every wire type, and known fields with an unexpected wire type', () => {
    const unknown = [
      ...tag(8, 0),
      ...varint(2n ** 63n),
      ...tag(9, 1),
      ...Array(8).fill(7),
      ...delimited(10, [1, 2, 3]),
      ...tag(11, 5),
      ...Array(4).fill(9),
      ...delimited(2, [...tag(3, 0), 1, ...tag(1, 0), 60]), // an unknown field inside the timestamp
      ...tag(1, 0), // address sent as a varint
      1,
    ];
    expect(decode([...text(1, 'data/x'), ...unknown, ...tag(3, 0), 42, ...text(4, 'etag')])).toMatchObject({
      address: 'data/x',
      size: 42,
      etag: 'etag',
      lastModified: new Date(60_000),
    });
  });

  it('refuses malformed values and protobufs as UNDECODABLE_ENTRY naming the path', () => {
    const cases: number[][] = [
      [...tag(3, 0), 0x80], // varint cut short
      [...tag(3, 0), ...Array(10).fill(0xff), 1], // varint over 10 bytes
      [...tag(1, 2), 5, 0x61], // string past the message
      [...tag(2, 2), 3, ...tag(1, 0)], // sub-message varint past its end
      [...tag(9, 3)], // groups
      [...tag(9, 6)],
      [...tag(0, 0), 1], // field number 0
      [...tag(9, 1), 1, 2, 3], // fixed64 past the message
    ];
    for (const data of cases) {
      expect(() => decode(data, 'dir/obj')).toThrow(expect.objectContaining({ code: 'UNDECODABLE_ENTRY', file: 'ranges/f' }));
      expect(() => decode(data, 'dir/obj')).toThrow('entry "dir/obj"');
    }
    const badValues = [Buffer.from([0x01, 0x00]), Buffer.from([0x08, 0x61]), Buffer.from([0x00, 0x06, 0x61]), Buffer.from([0x80])];
    for (const value of badValues) {
      expect(() => decodeRangeEntry('k', value, 0, value.length, 'f')).toThrow(RangeReaderError);
      expect(() => decodeRangeEntry('k', value, 0, value.length, 'f')).toThrow('value of "k"');
    }
  });

  it('reads a value in the middle of a larger buffer without looking past its end', () => {
    const value = lakefsValue(Buffer.from('id'), Buffer.from([...text(1, 'data/a'), ...tag(3, 0), 7]));
    const around = Buffer.concat([Buffer.from([0xff, 0xff]), value, Buffer.from([...tag(3, 0), 9])]);
    expect(decodeRangeEntry('p', around, 2, 2 + value.length, 'f')).toMatchObject({ address: 'data/a', size: 7 });
  });
});

describe('decodeEntryAddress (where the object lives, nothing else)', () => {
  const address = (data: number[] | Buffer, path = 'p') => {
    const value = lakefsValue(Buffer.from('identity'), Buffer.from(data));
    return decodeEntryAddress(value, 0, value.length, 'ranges/f', () => path);
  };

  it('gives the address and its type exactly as the full decoder does', () => {
    const cases: number[][] = [
      [...text(1, 'data/a/b'), ...tag(3, 0), 7, ...text(4, 'etag'), ...tag(6, 0), 1],
      [...tag(6, 0), 2, ...text(1, 'data/relative-but-typed-full')],
      [...text(1, 's3://bucket/by-prefix'), ...text(7, 'text/csv')],
      [...text(1, 'no/scheme'), ...delimited(5, [...text(1, 'k'), ...text(2, 'v')])],
      [...text(7, 'text/csv')],
    ];
    for (const data of cases) {
      const full = decode(data);
      expect(address(data)).toEqual({ address: full.address, addressType: full.addressType });
    }
  });

  it('refuses what the full decoder refuses, naming the path', () => {
    for (const data of [[...tag(3, 0), 0x80], [...tag(1, 2), 5, 0x61], [...tag(0, 0), 1], [...tag(9, 3)]]) {
      expect(() => address(data, 'dir/obj')).toThrow(expect.objectContaining({ code: 'UNDECODABLE_ENTRY', file: 'ranges/f' }));
      expect(() => address(data, 'dir/obj')).toThrow('entry "dir/obj"');
    }
  });
});
