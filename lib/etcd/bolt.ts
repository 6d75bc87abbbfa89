// A read-only check of a bbolt database (etcd's backend file), enough to tell a whole snapshot from a
// damaged one without opening it with etcd: both meta pages (magic, version, FNV-1a checksum), every
// page reachable from the root bucket (in range, its own id in its header, a known page type, never
// reached twice), and etcd's store revision (the main revision of the last key of the `key` bucket).
// Layout as bbolt writes it, little-endian on every platform etcd ships for:
//   page header: id u64 | flags u16 | count u16 | overflow u32           (16 bytes, then elements)
//   meta:        magic u32 | version u32 | pageSize u32 | flags u32 | root bucket {root u64, sequence u64}
//                | freelist u64 | pgid u64 | txid u64 | checksum u64     (checksum = FNV-1a 64 of the 56 bytes before it)
//   leaf element:   flags u32 | pos u32 | ksize u32 | vsize u32          (key at element + pos, value after it)
//   branch element: pos u32 | ksize u32 | pgid u64

const magic = 0xed0cdaed;
const version = 2;
const pageHeaderSize = 16;
const elementSize = 16;
const bucketHeaderSize = 16;
const flags = { branch: 0x01, leaf: 0x02, meta: 0x04, freelist: 0x10 } as const;
const bucketLeafFlag = 0x01;

export interface BoltMeta {
  pageSize: number;
  root: bigint;
  freelist: bigint;
  pageCount: bigint;
  txid: bigint;
}

export interface BoltReport {
  /** From the newer valid meta page; undefined when neither meta page is valid. */
  meta?: BoltMeta;
  /** Bytes the database's pages take (pageCount × pageSize); a snapshot is exactly this long before etcd's appended hash. */
  databaseBytes?: number;
  /** etcd's store revision at the snapshot, when the `key` bucket has any key. */
  revision?: number;
  /** Entries in the top-level buckets, counted as `etcdctl snapshot status` counts them. */
  totalKeys: number;
  buckets: string[];
  /** Empty when the structure is sound; otherwise one sentence per problem. */
  problems: string[];
}

function fnv1a64(bytes: Buffer): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash;
}

function readMeta(data: Buffer, offset: number): { meta?: BoltMeta; problem?: string } {
  if (data.length < offset + pageHeaderSize + 64) return { problem: 'is cut short' };
  const at = offset + pageHeaderSize;
  if ((data.readUInt16LE(offset + 8) & flags.meta) === 0) return { problem: 'is not a meta page' };
  if (data.readUInt32LE(at) !== magic) return { problem: 'has no bolt magic number' };
  if (data.readUInt32LE(at + 4) !== version) return { problem: `has bolt version ${data.readUInt32LE(at + 4)}, not ${version}` };
  if (fnv1a64(data.subarray(at, at + 56)) !== data.readBigUInt64LE(at + 56)) return { problem: 'fails its checksum' };
  return {
    meta: {
      pageSize: data.readUInt32LE(at + 8),
      root: data.readBigUInt64LE(at + 16),
      freelist: data.readBigUInt64LE(at + 32),
      pageCount: data.readBigUInt64LE(at + 40),
      txid: data.readBigUInt64LE(at + 48),
    },
  };
}

/** Page size as written in the first meta page, falling back to the usual 4096 when that page is unreadable. */
function guessPageSize(data: Buffer): number {
  if (data.length >= pageHeaderSize + 12) {
    const size = data.readUInt32LE(pageHeaderSize + 8);
    if (size >= 512 && size <= 65536 && (size & (size - 1)) === 0) return size;
  }
  return 4096;
}

interface PageView {
  /** The page's bytes, header first (for an inline bucket, a slice of its parent's value). */
  bytes: Buffer;
  id: bigint;
}

class BoltWalker {
  readonly problems: string[] = [];
  readonly buckets: string[] = [];
  totalKeys = 0;
  revision?: number;
  private readonly visited = new Set<bigint>();

  constructor(private readonly data: Buffer, private readonly meta: BoltMeta) {}

  walkRoot(): void {
    this.walkBucket(this.meta.root, undefined, (name, value, isBucket) => {
      if (!isBucket) {
        this.problems.push(`the root bucket holds a plain key "${name.toString('latin1')}", which a bolt database never has`);
        return;
      }
      const bucketName = name.toString('latin1');
      this.buckets.push(bucketName);
      let lastKey: Buffer | undefined;
      this.walkBucketValue(value, bucketName, (key) => {
        this.totalKeys++;
        lastKey = key;
      });
      if (bucketName === 'key' && lastKey && lastKey.length >= 8) this.revision = Number(lastKey.readBigUInt64BE(0));
    });
  }

  private walkBucketValue(value: Buffer, bucket: string, onKey: (key: Buffer) => void): void {
    if (value.length < bucketHeaderSize) {
      this.problems.push(`bucket "${bucket}" has a header of ${value.length} bytes`);
      return;
    }
    const root = value.readBigUInt64LE(0);
    const inline = root === 0n ? { bytes: value.subarray(bucketHeaderSize), id: 0n } : undefined;
    this.walkBucket(root, inline, (key) => onKey(key));
  }

  private walkBucket(root: bigint, inline: PageView | undefined, onEntry: (key: Buffer, value: Buffer, isBucket: boolean) => void): void {
    const page = inline ?? this.page(root);
    if (!page) return;
    const pageFlags = page.bytes.readUInt16LE(8);
    const count = page.bytes.readUInt16LE(10);
    if (page.bytes.length < pageHeaderSize + count * elementSize) {
      this.problems.push(`page ${page.id} claims ${count} elements but is too short for them`);
      return;
    }
    for (let index = 0; index < count; index++) {
      const element = pageHeaderSize + index * elementSize;
      if (pageFlags & flags.branch) {
        this.walkBucket(page.bytes.readBigUInt64LE(element + 8), undefined, onEntry);
      } else if (pageFlags & flags.leaf) {
        const elementFlags = page.bytes.readUInt32LE(element);
        const start = element + page.bytes.readUInt32LE(element + 4);
        const keyEnd = start + page.bytes.readUInt32LE(element + 8);
        const valueEnd = keyEnd + page.bytes.readUInt32LE(element + 12);
        if (valueEnd > page.bytes.length) {
          this.problems.push(`page ${page.id} has an element that runs past the page`);
          return;
        }
        onEntry(page.bytes.subarray(start, keyEnd), page.bytes.subarray(keyEnd, valueEnd), (elementFlags & bucketLeafFlag) !== 0);
      } else {
        this.problems.push(`page ${page.id} is reached from a bucket but is neither a branch nor a leaf page (flags 0x${pageFlags.toString(16)})`);
        return;
      }
    }
  }

  private page(id: bigint): PageView | undefined {
    const { pageSize, pageCount } = this.meta;
    if (id < 2n || id >= pageCount) {
      this.problems.push(`a bucket points to page ${id}, outside the database's ${pageCount} pages`);
      return undefined;
    }
    if (this.visited.has(id)) {
      this.problems.push(`page ${id} is reached twice`);
      return undefined;
    }
    this.visited.add(id);
    const offset = Number(id) * pageSize;
    if (offset + pageHeaderSize > this.data.length) {
      this.problems.push(`page ${id} lies past the end of the file`);
      return undefined;
    }
    const header = this.data.subarray(offset, offset + pageHeaderSize);
    if (header.readBigUInt64LE(0) !== id) {
      this.problems.push(`page ${id} carries the id ${header.readBigUInt64LE(0)} in its header`);
      return undefined;
    }
    const overflow = header.readUInt32LE(12);
    if (id + BigInt(overflow) >= pageCount) {
      this.problems.push(`page ${id} overflows past the database's ${pageCount} pages`);
      return undefined;
    }
    const end = offset + (overflow + 1) * pageSize;
    if (end > this.data.length) {
      this.problems.push(`page ${id} lies past the end of the file`);
      return undefined;
    }
    return { bytes: this.data.subarray(offset, end), id };
  }
}

/** Checks the structure of a bbolt database held in memory (the file without etcd's appended hash). */
export function inspectBoltDatabase(data: Buffer): BoltReport {
  const problems: string[] = [];
  const pageSize = guessPageSize(data);
  const metas = [readMeta(data, 0), readMeta(data, pageSize)];
  metas.forEach(({ problem }, index) => {
    if (problem) problems.push(`meta page ${index} ${problem}`);
  });
  const valid = metas.flatMap(({ meta }) => (meta ? [meta] : []));
  if (valid.length === 0) return { totalKeys: 0, buckets: [], problems };
  const meta = valid.reduce((newest, candidate) => (candidate.txid > newest.txid ? candidate : newest));
  const databaseBytes = Number(meta.pageCount) * meta.pageSize;
  if (data.length < databaseBytes) problems.push(`the file has ${data.length} bytes but its ${meta.pageCount} pages need ${databaseBytes}`);
  const walker = new BoltWalker(data, meta);
  walker.walkRoot();
  return { meta, databaseBytes, revision: walker.revision, totalKeys: walker.totalKeys, buckets: walker.buckets, problems: [...problems, ...walker.problems] };
}
