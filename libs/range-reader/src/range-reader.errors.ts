export type RangeReaderErrorCode =
  | 'BAD_MAGIC'
  | 'TRUNCATED'
  | 'BAD_FOOTER'
  | 'BAD_BLOCK_HANDLE'
  | 'CHECKSUM_MISMATCH'
  | 'UNSUPPORTED'
  | 'CORRUPT_BLOCK'
  | 'UNDECODABLE_ENTRY'
  | 'NOT_FOUND'
  | 'WRONG_KIND';

/**
 * A lakeFS metadata file that cannot be read as what it claims to be. Names the file (path or
 * object key) and what was wrong; never carries a partial result.
 */
export class RangeReaderError extends Error {
  constructor(
    readonly code: RangeReaderErrorCode,
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail} (${code})`);
    this.name = 'RangeReaderError';
  }
}
