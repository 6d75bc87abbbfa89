// `kubesnap images`: every container image a revision of the snapshot repository refers to, and which
// objects use it. Only the workload folders are read, so a large repository costs little.
import { parseObject, parseObjectPath } from '../layout/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import { ImageReferenceError } from './errors.ts';
import { containersOf, podSpecsOf, workloadResources, type ContainerField } from './pod-specs.ts';
import { effectiveTag, formatImageReference, parseImageReference, type ImageReference } from './reference.ts';

export interface ImageUse {
  kind: string;
  namespace?: string;
  name: string;
  container: string;
  field: ContainerField;
  /** The file in the snapshot repository. */
  path: string;
}

export interface InventoryImage extends ImageReference {
  /** `registry/repository[:tag][@digest]`, with the tag Docker would pull (`latest` by default). */
  image: string;
  /** The spellings found in the manifests (`nginx`, `docker.io/library/nginx:latest`). */
  written: string[];
  usedBy: ImageUse[];
}

export interface ImageInventory {
  commit: string;
  images: InventoryImage[];
  /** Container images that do not parse, with why. */
  invalid: Array<{ image: string; reason: string; use: ImageUse }>;
}

export interface InventoryOptions {
  /** Any revision `SnapshotRepository.resolve` understands; default HEAD. */
  revision?: string;
  /** The repository folder the cluster was written under (`--prefix`). */
  prefix?: string;
}

const workloadFolders = new Set(workloadResources.map(({ group, resource }) => `${group}/${resource}`));

export async function collectImageInventory(
  repository: SnapshotRepository,
  options: InventoryOptions = {},
): Promise<ImageInventory> {
  const commit = await repository.resolve(options.revision ?? 'HEAD');
  const byImage = new Map<string, InventoryImage>();
  const invalid: ImageInventory['invalid'] = [];
  for (const [path, blob] of await repository.readFiles(commit)) {
    const identity = parseObjectPath(path, options.prefix);
    if (!identity || !workloadFolders.has(`${identity.group}/${identity.resource}`)) continue;
    const object = parseObject(await repository.readBlob(blob), path) as {
      kind?: string;
      metadata?: { name?: string; namespace?: string };
    };
    for (const spec of podSpecsOf(object)) {
      for (const { field, container } of containersOf(spec)) {
        if (typeof container.image !== 'string') continue;
        const use: ImageUse = {
          kind: object.kind!,
          namespace: identity.namespace,
          name: identity.name,
          container: String(container.name ?? ''),
          field,
          path,
        };
        let reference: ImageReference;
        try {
          reference = parseImageReference(container.image);
        } catch (error) {
          if (!(error instanceof ImageReferenceError)) throw error;
          invalid.push({ image: container.image, reason: error.message, use });
          continue;
        }
        const tag = effectiveTag(reference);
        const canonical = { ...reference, ...(tag !== undefined ? { tag } : {}) };
        const image = formatImageReference(canonical);
        const entry = byImage.get(image) ?? { image, ...canonical, written: [], usedBy: [] };
        if (!entry.written.includes(container.image)) entry.written.push(container.image);
        entry.usedBy.push(use);
        byImage.set(image, entry);
      }
    }
  }
  const images = [...byImage.values()].sort((a, b) => a.image.localeCompare(b.image));
  return { commit, images, invalid };
}
