import { RangeReaderError } from './range-reader.errors';
import type { RangeEntry, RangeEntryAddress } from './range.types';

// A hand-written decoder for the value of a lakeFS range entry: the graveler value (zig-zag
// varint length + identity, length + data) whose data is a catalog.Entry protobuf:
//   1 address (string), 2 last_modified (Timestamp: 1 seconds int64, 2 nanos int32),
//   3 size (int64), 4 e_tag (string), 5 metadata (map<string, string>),
//   6 address_type (enum), 7 content_type (string).
// It reads straight from the decompressed block, with no intermediate message object.
// Unknown fields, and known fields with an unexpected wire type, are skipped as protobuf does.

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const ADDRESS_TYPE_FULL = 2;
const ADDRESS_TYPE_BY_PREFIX = 0;
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

class Malformed extends Error {}

/** A protobuf reader over `buf[pos, end)`; throws Malformed on anything out of bounds. */
class WireReader {
  /** The high 32 bits of the last varint read by `varint64`. */
  hi = 0;

  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;

  reset(buf: Uint8Array, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  /** A varint's low 32 bits (unsigned); its high bits are checked for bounds but dropped. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= this.end) throw new Malformed('varint runs past the message');
      const byte = buf[pos++];
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw new Malformed('varint longer than 10 bytes');
  }

  /** A 64-bit varint as a number, its low 32 bits unsigned and `hi` its high 32 bits. */
  varint64(): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= this.end) throw new Malformed('varint runs past the message');
      const byte = buf[pos++];
      const bits = byte & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if (byte < 0x80) {
        this.pos = pos;
        this.hi = hi | 0;
        return lo >>> 0;
      }
    }
    throw new Malformed('varint longer than 10 bytes');
  }

  /** A signed int64 as a number (as Long#toNumber gives it: exact up to 2^53). */
  int64(): number {
    const lo = this.varint64();
    return this.hi * 4294967296 + lo;
  }

  /** The bounds of a length-delimited field's bytes; moves past them. */
  delimited(): number {
    const length = this.uint32();
    const start = this.pos;
    if (length > this.end - start) throw new Malformed('length-delimited field runs past the message');
    this.pos = start + length;
    return start;
  }

  string(): string {
    const start = this.delimited();
    return utf8(this.buf, start, this.pos);
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.varint64();
    else if (wireType === FIXED64) this.advance(8);
    else if (wireType === LENGTH_DELIMITED) this.delimited();
    else if (wireType === FIXED32) this.advance(4);
    else throw new Malformed(`unsupported wire type ${wireType}`);
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new Malformed('fixed-width field runs past the message');
    this.pos += n;
  }
}

/** UTF-8 text of `buf[start, end)`: Buffer's native slice works on any Uint8Array and is the fastest measured. */
export function utf8(buf: Uint8Array, start: number, end: number): string {
  // A method call on a Buffer (the decoder's blocks always are) costs less than Function#call.
  return buf instanceof Buffer ? buf.utf8Slice(start, end) : Buffer.prototype.utf8Slice.call(buf, start, end);
}

declare global {
  interface Buffer {
    utf8Slice(start: number, end: number): string;
  }
}

/** Go's binary.Varint length prefix of a graveler value component. */
function componentLength(reader: WireReader): number {
  const zigzag = reader.uint32();
  if (zigzag & 1) throw new Malformed('negative length');
  const length = zigzag >>> 1;
  if (length > reader.end - reader.pos) throw new Malformed('length runs past the value');
  return length;
}

/** Narrows the reader to the sub-message at it; returns the outer end, to restore after. */
function enter(reader: WireReader): number {
  const outer = reader.end;
  const start = reader.delimited();
  reader.end = reader.pos;
  reader.pos = start;
  return outer;
}

// Decoding is synchronous and not reentrant: one reader and one timestamp scratch for all entries.
const READER = new WireReader();
let seconds = 0;
let nanos = 0;

function readTimestamp(reader: WireReader): void {
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === VARINT) seconds = reader.int64();
    else if (field === 2 && wireType === VARINT) nanos = reader.varint64() | 0;
    else reader.skip(wireType);
  }
}

function readMapEntry(reader: WireReader, into: Record<string, string>): void {
  let key = '';
  let value = '';
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === LENGTH_DELIMITED) key = reader.string();
    else if (field === 2 && wireType === LENGTH_DELIMITED) value = reader.string();
    else reader.skip(wireType);
  }
  into[key] = value;
}

/** Narrows the reader to the entry's catalog.Entry protobuf, past the graveler value's identity. */
function enterEntryData(reader: WireReader): void {
  const identityLength = componentLength(reader); // the identity: a content hash the pipeline does not need
  reader.pos += identityLength;
  const dataLength = componentLength(reader);
  reader.end = reader.pos + dataLength;
}

function isFullAddress(addressType: number, address: string): boolean {
  return addressType === ADDRESS_TYPE_FULL || (addressType === ADDRESS_TYPE_BY_PREFIX && HAS_SCHEME.test(address));
}

/**
 * Only where the object of the entry at `value[start, end)` lives: what checking its presence
 * needs, without the entry's path, dates, metadata or other strings. Validates the value as
 * decodeRangeEntry does; `pathOf` names the entry in an error.
 * @throws RangeReaderError UNDECODABLE_ENTRY when the value or its protobuf is malformed.
 */
export function decodeEntryAddress(value: Uint8Array, start: number, end: number, file: string, pathOf: () => string): RangeEntryAddress {
  const reader = READER.reset(value, start, end);
  let address = '';
  let addressType = 0;
  try {
    enterEntryData(reader);
    while (reader.pos < reader.end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 0) throw new Malformed('field number 0');
      if (field === 1 && wireType === LENGTH_DELIMITED) address = reader.string();
      else if (field === 6 && wireType === VARINT) addressType = reader.varint64() | 0;
      else reader.skip(wireType);
    }
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    throw new RangeReaderError('UNDECODABLE_ENTRY', file, `entry ${JSON.stringify(pathOf())}: ${error.message}`);
  }
  return { address, addressType: isFullAddress(addressType, address) ? 'full' : 'relative' };
}

/**
 * Decodes the lakeFS value at `value[start, end)` of the entry at `path`.
 * @throws RangeReaderError UNDECODABLE_ENTRY naming the path when the value or its protobuf is malformed.
 */
export function decodeRangeEntry(path: string, value: Uint8Array, start: number, end: number, file: string): RangeEntry {
  const reader = READER.reset(value, start, end);
  try {
    enterEntryData(reader);
  } catch (error) {
    throw new RangeReaderError('UNDECODABLE_ENTRY', file, `value of ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  let address = '';
  let size = 0;
  let etag = '';
  let addressType = 0;
  let contentType = '';
  seconds = 0;
  nanos = 0;
  let metadata: Record<string, string> | undefined;
  try {
    while (reader.pos < reader.end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 0) throw new Malformed('field number 0');
      if (wireType === LENGTH_DELIMITED) {
        if (field === 1) address = reader.string();
        else if (field === 4) etag = reader.string();
        else if (field === 7) contentType = reader.string();
        else if (field === 2) {
          const outer = enter(reader);
          readTimestamp(reader);
          reader.end = outer;
        } else if (field === 5) {
          const outer = enter(reader);
          readMapEntry(reader, (metadata ??= {}));
          reader.end = outer;
        } else reader.skip(wireType);
      } else if (wireType === VARINT && field === 3) size = reader.int64();
      else if (wireType === VARINT && field === 6) addressType = reader.varint64() | 0;
      else reader.skip(wireType);
    }
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    throw new RangeReaderError('UNDECODABLE_ENTRY', file, `entry ${JSON.stringify(path)}: ${error.message}`);
  }
  return {
    path,
    address,
    addressType: isFullAddress(addressType, address) ? 'full' : 'relative',
    size,
    etag,
    lastModified: new Date(seconds * 1000 + Math.floor(nanos / 1e6)),
    contentType,
    metadata: metadata ?? {},
  };
}
