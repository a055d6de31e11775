import type { S3Client } from '@aws-sdk/client-s3';
import { StorageNamespace, lakefsMetadataObject } from '@lakemirror/object-store';
import { RangeReaderError, S3ObjectSource, readRangeAddressBatches } from '@lakemirror/range-reader';

/**
 * The relative addresses held by base ranges (a parent's ranges that overlap a range to check):
 * their objects are present in the mirror namespace by the time the commit can be recorded (its
 * parents are recorded first, each range of theirs verified), and lakeFS never rewrites an
 * address. Each base range file is read once however many ranges it overlaps, and
 * let go once the last of them took it. A base range that cannot be read gives no shortcut,
 * never a wrong one.
 */
export class BaseRangeAddresses {
  private readonly users = new Map<string, number>();
  private readonly loaded = new Map<string, Promise<Set<string> | undefined>>();

  /** `uses`: the base ranges of each range that will `take` them, one list per take. */
  constructor(
    private readonly s3: S3Client,
    private readonly namespace: StorageNamespace,
    uses: readonly (readonly string[])[],
  ) {
    for (const ids of uses) for (const id of ids) this.users.set(id, (this.users.get(id) ?? 0) + 1);
  }

  /** The addresses held by all of `ids`, or none at all when one of them cannot be read. */
  async take(ids: readonly string[]): Promise<ReadonlySet<string>> {
    const sets = await Promise.all(ids.map((id) => this.load(id)));
    for (const id of ids) {
      const left = (this.users.get(id) ?? 1) - 1;
      this.users.set(id, left);
      if (left <= 0) this.loaded.delete(id);
    }
    if (sets.some((set) => set === undefined)) return new Set();
    if (sets.length === 1) return sets[0] as Set<string>;
    const union = new Set<string>();
    for (const set of sets) for (const address of set as Set<string>) union.add(address);
    return union;
  }

  private load(id: string): Promise<Set<string> | undefined> {
    let set = this.loaded.get(id);
    if (!set) {
      set = this.read(id);
      this.loaded.set(id, set);
    }
    return set;
  }

  private async read(id: string): Promise<Set<string> | undefined> {
    const addresses = new Set<string>();
    const file = lakefsMetadataObject(this.namespace, id);
    try {
      for await (const batch of readRangeAddressBatches(new S3ObjectSource(this.s3, file.bucket, file.key)))
        for (const entry of batch) if (entry.addressType === 'relative') addresses.add(entry.address);
    } catch (error) {
      if (!(error instanceof RangeReaderError)) throw error;
      return undefined;
    }
    return addresses;
  }
}
