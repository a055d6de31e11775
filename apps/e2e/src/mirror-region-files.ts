import { S3Client } from '@aws-sdk/client-s3';
import { StorageNamespace, findMissingKeys, lakefsMetadataObject, objectInNamespace } from '@lakemirror/object-store';
import { RangeReaderError, S3ObjectSource, readMetaRange, readRangeEntries } from '@lakemirror/range-reader';

/**
 * Which files of a commit the mirror region lacks: its metarange, its ranges, and the objects
 * with a relative address (those replication carries). Read independently of the pipeline, with
 * the project's range reader. Ranges proven complete once are not read again: their files and
 * objects are immutable.
 */
export class MirrorRegionFiles {
  private readonly completeRanges = new Set<string>();

  constructor(
    private readonly s3: S3Client,
    private readonly namespace: StorageNamespace,
  ) {}

  async missingOf(metaRangeId: string): Promise<string[]> {
    const metaRangeFile = lakefsMetadataObject(this.namespace, metaRangeId);
    const ranges = await this.readOrMissing(() => readMetaRange(new S3ObjectSource(this.s3, metaRangeFile.bucket, metaRangeFile.key)));
    if (!ranges) return [metaRangeFile.key];
    const missing: string[] = [];
    for (const range of ranges) {
      if (this.completeRanges.has(range.id)) continue;
      const missingOfRange = await this.missingOfRange(range.id);
      if (missingOfRange.length === 0) this.completeRanges.add(range.id);
      missing.push(...missingOfRange);
    }
    return missing;
  }

  private async missingOfRange(rangeId: string): Promise<string[]> {
    const rangeFile = lakefsMetadataObject(this.namespace, rangeId);
    const keys = await this.readOrMissing(async () => {
      const found: string[] = [];
      for await (const entry of readRangeEntries(new S3ObjectSource(this.s3, rangeFile.bucket, rangeFile.key))) {
        if (entry.addressType === 'relative') found.push(objectInNamespace(this.namespace, entry.address).key);
      }
      return found;
    });
    if (!keys) return [rangeFile.key];
    return (await findMissingKeys(this.s3, this.namespace.bucket, keys)).missing;
  }

  /** The file's content, or undefined when it is not in the mirror region (yet). */
  private async readOrMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof RangeReaderError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }
}
