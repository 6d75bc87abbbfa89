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

/** Random access to the database's bytes (a file read page by page). */
export interface PageSource {
  size: number;
  read(offset: number, length: number): Buffer;
}

function readMeta(source: PageSource, offset: number): { meta?: BoltMeta; problem?: string } {
  if (source.size < offset + pageHeaderSize + 64) return { problem: 'is cut short' };
  const data = source.read(offset, pageHeaderSize + 64);
  const at = pageHeaderSize;
  if ((data.readUInt16LE(8) & flags.meta) === 0) return { problem: 'is not a meta page' };
  if (data.readUInt32LE(at) !== magic) return { problem: 'has no bolt magic number' };
  if (data.readUInt32LE(at + 4) !== version)
    return { problem: `has bolt version ${data.readUInt32LE(at + 4)}, not ${version}` };
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
function guessPageSize(source: PageSource): number {
  if (source.size >= pageHeaderSize + 12) {
    const size = source.read(pageHeaderSize + 8, 4).readUInt32LE(0);
    if (size >= 512 && size <= 65536 && (size & (size - 1)) === 0) return size;
  }
  return 4096;
}

interface PageView {
  /** The page's bytes, header first (for an inline bucket, a slice of its parent's value). */
  bytes: Buffer;
  id: bigint;
}

interface Element {
  key: Buffer;
  /** Branch pages: the child page. */
  child?: bigint;
  /** Leaf pages: the value, and whether it is a bucket. */
  value?: Buffer;
  isBucket?: boolean;
}

/** A branch or leaf page's elements, or why they cannot be read. */
function decodePage(page: PageView): { branch: boolean; elements: Element[] } | string {
  const pageFlags = page.bytes.readUInt16LE(8);
  const count = page.bytes.readUInt16LE(10);
  const branch = (pageFlags & flags.branch) !== 0;
  if (!branch && (pageFlags & flags.leaf) === 0)
    return `page ${page.id} is reached from a bucket but is neither a branch nor a leaf page (flags 0x${pageFlags.toString(16)})`;
  if (page.bytes.length < pageHeaderSize + count * elementSize)
    return `page ${page.id} claims ${count} elements but is too short for them`;
  const elements: Element[] = [];
  for (let index = 0; index < count; index++) {
    const element = pageHeaderSize + index * elementSize;
    const bytes = page.bytes;
    if (branch) {
      const start = element + bytes.readUInt32LE(element);
      const end = start + bytes.readUInt32LE(element + 4);
      if (end > bytes.length) return `page ${page.id} has an element that runs past the page`;
      elements.push({ key: bytes.subarray(start, end), child: bytes.readBigUInt64LE(element + 8) });
    } else {
      const start = element + bytes.readUInt32LE(element + 4);
      const keyEnd = start + bytes.readUInt32LE(element + 8);
      const valueEnd = keyEnd + bytes.readUInt32LE(element + 12);
      if (valueEnd > bytes.length) return `page ${page.id} has an element that runs past the page`;
      elements.push({
        key: bytes.subarray(start, keyEnd),
        value: bytes.subarray(keyEnd, valueEnd),
        isBucket: (bytes.readUInt32LE(element) & bucketLeafFlag) !== 0,
      });
    }
  }
  return { branch, elements };
}

class BoltWalker {
  readonly problems: string[] = [];
  readonly buckets: string[] = [];
  totalKeys = 0;
  revision?: number;
  private readonly visited = new Set<bigint>();

  constructor(
    private readonly source: PageSource,
    private readonly meta: BoltMeta,
  ) {}

  walkRoot(): void {
    this.walkBucket(this.meta.root, undefined, (name, value, isBucket) => {
      if (!isBucket) {
        this.problems.push(
          `the root bucket holds a plain key "${name.toString('latin1')}", which a bolt database never has`,
        );
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

  private walkBucket(
    root: bigint,
    inline: PageView | undefined,
    onEntry: (key: Buffer, value: Buffer, isBucket: boolean) => void,
  ): void {
    const page = inline ?? this.page(root);
    if (!page) return;
    const decoded = decodePage(page);
    if (typeof decoded === 'string') {
      this.problems.push(decoded);
      return;
    }
    for (const element of decoded.elements) {
      if (decoded.branch) this.walkBucket(element.child!, undefined, onEntry);
      else onEntry(element.key, element.value!, element.isBucket!);
    }
  }

  page(id: bigint): PageView | undefined {
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
    if (offset + pageHeaderSize > this.source.size) {
      this.problems.push(`page ${id} lies past the end of the file`);
      return undefined;
    }
    const header = this.source.read(offset, pageHeaderSize);
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
    if (end > this.source.size) {
      this.problems.push(`page ${id} lies past the end of the file`);
      return undefined;
    }
    return { bytes: this.source.read(offset, end - offset), id };
  }
}

/**
 * etcd's revision only, reading a handful of pages: the root bucket down to `key`, then the rightmost
 * path of that bucket to its last key. Undefined when the database cannot say (see `inspectBoltDatabase`).
 */
export function readBoltRevision(source: PageSource): number | undefined {
  const meta = newestMeta(source).meta;
  if (!meta) return undefined;
  const walker = new BoltWalker(source, meta);
  const descend = (
    page: PageView | undefined,
    choose: (elements: Element[]) => Element | undefined,
  ): Element | undefined => {
    for (let depth = 0; page && depth < 64; depth++) {
      const decoded = decodePage(page);
      if (typeof decoded === 'string') return undefined;
      const element = choose(decoded.elements);
      if (!element || !decoded.branch) return element;
      page = walker.page(element.child!);
    }
    return undefined;
  };
  const target = Buffer.from('key');
  const bucket = descend(walker.page(meta.root), (elements) => {
    const atOrBefore = elements.filter((element) => Buffer.compare(element.key, target) <= 0);
    return atOrBefore[atOrBefore.length - 1];
  });
  if (!bucket?.isBucket || !bucket.key.equals(target) || bucket.value!.length < bucketHeaderSize) return undefined;
  const root = bucket.value!.readBigUInt64LE(0);
  const last = descend(
    root === 0n ? { bytes: bucket.value!.subarray(bucketHeaderSize), id: 0n } : walker.page(root),
    (elements) => elements[elements.length - 1],
  );
  return last && last.key.length >= 8 ? Number(last.key.readBigUInt64BE(0)) : undefined;
}

function newestMeta(source: PageSource): { meta?: BoltMeta; problems: string[] } {
  const pageSize = guessPageSize(source);
  const metas = [readMeta(source, 0), readMeta(source, pageSize)];
  const problems = metas.flatMap(({ problem }, index) => (problem ? [`meta page ${index} ${problem}`] : []));
  const valid = metas.flatMap(({ meta }) => (meta ? [meta] : []));
  const meta = valid.length
    ? valid.reduce((newest, candidate) => (candidate.txid > newest.txid ? candidate : newest))
    : undefined;
  return { meta, problems };
}

/** Checks the structure of a bbolt database (the file without etcd's appended hash), reading each reachable page once. */
export function inspectBoltDatabase(source: PageSource): BoltReport {
  const { meta, problems } = newestMeta(source);
  if (!meta) return { totalKeys: 0, buckets: [], problems };
  const databaseBytes = Number(meta.pageCount) * meta.pageSize;
  if (source.size < databaseBytes)
    problems.push(`the file has ${source.size} bytes but its ${meta.pageCount} pages need ${databaseBytes}`);
  const walker = new BoltWalker(source, meta);
  walker.walkRoot();
  return {
    meta,
    databaseBytes,
    revision: walker.revision,
    totalKeys: walker.totalKeys,
    buckets: walker.buckets,
    problems: [...problems, ...walker.problems],
  };
}
