// `kubesnap images mirror`: copy images by digest to another registry — indexes and their manifests,
// config and layer blobs — skipping whatever the target already has, then tag them as in the source.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors/index.ts';
import { RegistryError } from './errors.ts';
import { manifestMediaTypes, RegistryClient, sha256Digest, type Manifest } from './registry-client.ts';
import { effectiveTag, type ImageReference } from './reference.ts';

export interface MirrorOptions {
  /** `host[:port]` or `host[:port]/path`: images land at `<to>/<repository>`. */
  to: string;
  fromInsecure?: boolean;
  toInsecure?: boolean;
  /** Blobs larger than this go up in chunks of this size (PATCH); smaller ones in one PUT. Default 16 MiB. */
  chunkBytes?: number;
  onImageStarted?: (image: string) => void;
  onImageDone?: (result: MirroredImage) => void;
}

export interface MirroredImage {
  source: string;
  target: string;
  digest?: string;
  manifestsPushed: number;
  blobsCopied: number;
  blobsSkipped: number;
  bytesCopied: number;
  error?: string;
}

export interface MirrorResult {
  images: MirroredImage[];
  totals: {
    images: number;
    failed: number;
    manifestsPushed: number;
    blobsCopied: number;
    blobsSkipped: number;
    bytesCopied: number;
  };
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  urls?: string[];
}

const indexTypes = new Set<string>([manifestMediaTypes.ociIndex, manifestMediaTypes.dockerList]);
const imageManifestTypes = new Set<string>([manifestMediaTypes.ociManifest, manifestMediaTypes.dockerManifest]);

/** `registry.example.com:5000/mirror` → registry and path prefix. */
export function parseMirrorTarget(to: string): { registry: string; prefix: string } {
  const [registry, ...path] = to
    .replace(/^(https?:\/\/)/, '')
    .replace(/\/+$/, '')
    .split('/');
  if (!registry) throw new UsageError(`--to "${to}" names no registry.`);
  return { registry, prefix: path.join('/') };
}

/** Copies every image (each once) and returns what happened to each; one failed image does not stop the rest. */
export async function mirrorImages(images: ImageReference[], options: MirrorOptions): Promise<MirrorResult> {
  const target = parseMirrorTarget(options.to);
  const destination = new RegistryClient(target.registry, { insecure: options.toInsecure });
  const sources = new Map<string, RegistryClient>();
  const results: MirroredImage[] = [];
  const seen = new Set<string>();
  for (const image of images) {
    const tag = effectiveTag(image);
    const key = `${image.registry}/${image.repository}${tag ? `:${tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source =
      sources.get(image.registry) ?? new RegistryClient(image.registry, { insecure: options.fromInsecure });
    sources.set(image.registry, source);
    const repository = target.prefix ? `${target.prefix}/${image.repository}` : image.repository;
    const copy = new ImageCopy(
      source,
      image.repository,
      destination,
      repository,
      options.chunkBytes ?? 16 * 1024 * 1024,
    );
    const result: MirroredImage = {
      source: key,
      target: `${target.registry}/${repository}${tag ? `:${tag}` : ''}${image.digest ? `@${image.digest}` : ''}`,
      manifestsPushed: 0,
      blobsCopied: 0,
      blobsSkipped: 0,
      bytesCopied: 0,
    };
    options.onImageStarted?.(key);
    try {
      result.digest = await copy.copyImage(image.digest ?? tag!, tag);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      result.error = error.message;
    }
    Object.assign(result, copy.counts);
    results.push(result);
    options.onImageDone?.(result);
  }
  const sum = (field: 'manifestsPushed' | 'blobsCopied' | 'blobsSkipped' | 'bytesCopied') =>
    results.reduce((total, result) => total + result[field], 0);
  return {
    images: results,
    totals: {
      images: results.length,
      failed: results.filter((result) => result.error).length,
      manifestsPushed: sum('manifestsPushed'),
      blobsCopied: sum('blobsCopied'),
      blobsSkipped: sum('blobsSkipped'),
      bytesCopied: sum('bytesCopied'),
    },
  };
}

/** One image from one repository to another. */
class ImageCopy {
  readonly counts = { manifestsPushed: 0, blobsCopied: 0, blobsSkipped: 0, bytesCopied: 0 };

  constructor(
    private readonly source: RegistryClient,
    private readonly sourceRepository: string,
    private readonly target: RegistryClient,
    private readonly targetRepository: string,
    private readonly chunkBytes: number,
  ) {}

  /** Copies what `reference` (a digest or a tag) points at, then points `tag` at it; returns its digest. */
  async copyImage(reference: string, tag: string | undefined): Promise<string> {
    const manifest = await this.copyManifest(reference);
    if (tag && (await this.target.manifestDigest(this.targetRepository, tag)) !== manifest.digest) {
      await this.target.putManifest(this.targetRepository, tag, manifest);
      this.counts.manifestsPushed++;
    }
    return manifest.digest;
  }

  private async copyManifest(reference: string): Promise<Manifest> {
    const manifest = await this.source.getManifest(this.sourceRepository, reference);
    const where = `${this.source.registry}/${this.sourceRepository}`;
    if (!manifest) throw new RegistryError(`${where} has no manifest ${reference}.`);
    if (reference.includes(':') && manifest.digest !== reference)
      throw new RegistryError(`${where} sent a manifest whose digest is ${manifest.digest}, not ${reference}.`);
    if (await this.target.manifestDigest(this.targetRepository, manifest.digest)) return manifest;
    const body = JSON.parse(manifest.bytes.toString('utf8')) as {
      manifests?: Descriptor[];
      config?: Descriptor;
      layers?: Descriptor[];
    };
    if (indexTypes.has(manifest.mediaType)) {
      for (const child of body.manifests ?? []) await this.copyManifest(child.digest);
    } else if (imageManifestTypes.has(manifest.mediaType)) {
      for (const blob of [body.config, ...(body.layers ?? [])]) {
        // Non-distributable (foreign) layers live elsewhere and are never pushed.
        if (blob && !blob.urls?.length) await this.copyBlob(blob);
      }
    } else {
      throw new RegistryError(
        `${where}@${manifest.digest} is a "${manifest.mediaType || 'unknown'}" manifest, which kubesnap cannot copy.`,
      );
    }
    await this.target.putManifest(this.targetRepository, manifest.digest, manifest);
    this.counts.manifestsPushed++;
    return manifest;
  }

  private async copyBlob(blob: Descriptor): Promise<void> {
    if (await this.target.hasBlob(this.targetRepository, blob.digest)) {
      this.counts.blobsSkipped++;
      return;
    }
    const { size, body } = await this.source.openBlob(this.sourceRepository, blob.digest);
    const length = blob.size ?? size;
    if (length >= 0 && length <= this.chunkBytes) {
      const bytes = await readAll(body);
      if (sha256Digest(bytes) !== blob.digest)
        throw new RegistryError(
          `The blob ${blob.digest} from ${this.source.registry}/${this.sourceRepository} does not match its digest.`,
        );
      await this.target.uploadBlob(this.targetRepository, blob.digest, bytes);
      this.counts.bytesCopied += bytes.length;
    } else {
      const hash = createHash('sha256');
      let copied = 0;
      const chunks = rechunk(body, this.chunkBytes, (chunk) => {
        hash.update(chunk);
        copied += chunk.length;
      });
      await this.target.uploadBlobInChunks(this.targetRepository, blob.digest, chunks);
      if (`sha256:${hash.digest('hex')}` !== blob.digest)
        throw new RegistryError(
          `The blob ${blob.digest} from ${this.source.registry}/${this.sourceRepository} does not match its digest.`,
        );
      this.counts.bytesCopied += copied;
    }
    this.counts.blobsCopied++;
  }
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/** The stream in pieces of exactly `size` bytes (the last one shorter), as a chunked upload wants them. */
async function* rechunk(
  body: ReadableStream<Uint8Array>,
  size: number,
  onChunk: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const part of body) {
    pending.push(Buffer.from(part));
    pendingBytes += part.length;
    while (pendingBytes >= size) {
      const all = Buffer.concat(pending);
      const chunk = all.subarray(0, size);
      onChunk(chunk);
      yield chunk;
      pending = [all.subarray(size)];
      pendingBytes = all.length - size;
    }
  }
  if (pendingBytes > 0) {
    const chunk = Buffer.concat(pending);
    onChunk(chunk);
    yield chunk;
  }
}
