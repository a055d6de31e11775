/** Bytes a folder's buffers start with; they double as they fill. */
const INITIAL_BYTES = 1024;
const INITIAL_COUNT = 64;

/**
 * The addresses of one folder, each tagged with a number (the index of whatever the caller must
 * map it back to): the names after the folder are kept as UTF-8 bytes in one buffer, the tags and
 * name ends in typed arrays, so an address costs its name's bytes and 8 more, not a string.
 */
export class FolderAddresses {
  private names: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private ends: Uint32Array = new Uint32Array(INITIAL_COUNT);
  private tags: Uint32Array = new Uint32Array(INITIAL_COUNT);
  private used = 0;
  private added = 0;

  constructor(readonly folder: string) {}

  get count(): number {
    return this.added;
  }

  /** Bytes held, spare capacity included. */
  get heldBytes(): number {
    return this.names.byteLength + this.ends.byteLength + this.tags.byteLength;
  }

  add(name: string, tag: number): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit, so this much room always suffices.
    if (this.used + name.length * 3 > this.names.byteLength) this.names = grown(this.names, this.used + name.length * 3);
    if (this.added === this.ends.length) {
      this.ends = grownArray(this.ends);
      this.tags = grownArray(this.tags);
    }
    this.used += this.names.write(name, this.used, 'utf8');
    this.ends[this.added] = this.used;
    this.tags[this.added++] = tag;
  }

  /** The full addresses (folder included), sorted, each once. */
  sortedUnique(): string[] {
    const addresses = new Array<string>(this.added);
    for (let i = 0; i < this.added; i++) addresses[i] = this.addressAt(i);
    addresses.sort();
    let kept = 0;
    for (let i = 0; i < addresses.length; i++) if (i === 0 || addresses[i] !== addresses[kept - 1]) addresses[kept++] = addresses[i];
    addresses.length = kept;
    return addresses;
  }

  /** Which of `addresses` each tag holds, for the tags that hold any (an address added under two tags is under both). */
  tagsOf(addresses: ReadonlySet<string>): Map<number, string[]> {
    const byTag = new Map<number, string[]>();
    if (addresses.size === 0) return byTag;
    for (let i = 0; i < this.added; i++) {
      const address = this.addressAt(i);
      if (!addresses.has(address)) continue;
      const held = byTag.get(this.tags[i]);
      if (held) held.push(address);
      else byTag.set(this.tags[i], [address]);
    }
    return byTag;
  }

  private addressAt(i: number): string {
    return this.folder + this.names.toString('utf8', i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/**
 * Relative addresses grouped by folder (everything up to the last '/'), held compactly (see
 * FolderAddresses): a commit's million objects take about 30 MB instead of well over 100 MB of
 * strings, and a folder's strings exist only while that folder is checked. lakeFS starts a new
 * partition folder every 50,000 objects, so a folder's strings stay few.
 */
export class AddressesByFolder {
  private readonly byFolder = new Map<string, FolderAddresses>();
  private last: FolderAddresses | undefined;

  add(address: string, tag: number): void {
    const cut = address.lastIndexOf('/') + 1;
    let group = this.last;
    // Neighbouring entries usually share a folder: compare in place before slicing a key for the map.
    if (!group || group.folder.length !== cut || !address.startsWith(group.folder)) {
      const folder = address.slice(0, cut);
      group = this.byFolder.get(folder);
      if (!group) {
        group = new FolderAddresses(folder);
        this.byFolder.set(folder, group);
      }
      this.last = group;
    }
    group.add(address.slice(cut), tag);
  }

  /** Addresses added, repeats included. */
  get count(): number {
    let count = 0;
    for (const group of this.byFolder.values()) count += group.count;
    return count;
  }

  get heldBytes(): number {
    let bytes = 0;
    for (const group of this.byFolder.values()) bytes += group.heldBytes;
    return bytes;
  }

  /** The folders, in sorted order. */
  folders(): FolderAddresses[] {
    return [...this.byFolder.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  }
}

function grown(buffer: Buffer, needed: number): Buffer {
  const larger = Buffer.allocUnsafe(Math.max(needed, buffer.byteLength * 2));
  buffer.copy(larger);
  return larger;
}

function grownArray(array: Uint32Array): Uint32Array {
  const larger = new Uint32Array(array.length * 2);
  larger.set(array);
  return larger;
}
