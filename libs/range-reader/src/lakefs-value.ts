import { RangeReaderError } from './range-reader.errors';
import { readSignedVarint } from './varint';

/** A graveler value: an identity (content hash, or range ID in a metarange) and the data. */
export interface LakefsValue {
  identity: Buffer;
  data: Buffer;
}

/** Decodes lakeFS's value encoding: two components, each a zig-zag varint length then its bytes. */
export function decodeLakefsValue(value: Buffer, file: string, key: Buffer): LakefsValue {
  const fail = (why: string) => new RangeReaderError('UNDECODABLE_ENTRY', file, `value of ${JSON.stringify(key.toString())}: ${why}`);
  const parts: Buffer[] = [];
  let offset = 0;
  for (const component of ['identity', 'data']) {
    const length = readSignedVarint(value, offset);
    if (!length || length[0] < 0 || length[1] + length[0] > value.length) throw fail(`bad ${component} length`);
    parts.push(value.subarray(length[1], length[1] + length[0]));
    offset = length[1] + length[0];
  }
  return { identity: parts[0], data: parts[1] };
}
