// One page of a list, from the bytes the API server sent to the files a snapshot commits: parse, keep what is in
// the selected namespaces, normalise, lay out, serialise, hash and deflate. Pure CPU on plain data, so it runs the
// same on the main thread and in a page worker (page.worker.ts).
import { ClusterError } from '../errors/index.ts';
// Imported from the modules themselves, not their index: a worker thread loads only what it runs.
import { qualifiedResourceName, type ApiResource } from '../kube/discovery.ts';
import type { ListPageMetadata } from '../kube/list.ts';
import { objectPath, serializeObject } from '../layout/index.ts';
import { normalizeObject, type KubeObject, type NormalizeOptions, type SkipReason } from '../normalize/index.ts';
import { isNamespacesResource } from '../selection/collections.ts';
import { namespaceMatcher, type SelectionOptions } from '../selection/index.ts';
import { hashObject } from '../store/git-object.ts';
import { packEntry, type PackEntry } from '../store/object-writer.ts';
import { prepareBlob, type PreparedBlob } from '../store/prepared-blob.ts';

/** What processing a page needs to know of its collection: plain data, so it can be posted to a worker. */
export interface PageJob {
  resource: ApiResource;
  normalize: NormalizeOptions;
  namespaces: Pick<SelectionOptions, 'namespaces' | 'excludeNamespaces'>;
  prefix?: string;
  /** Secrets are handed back as objects, for the caller to seal (sealing reads the repository). */
  sealSecrets: boolean;
}

/** One object's file, laid out and hashed, not yet deflated. */
export interface LaidOutFile {
  path: string;
  /** The object's namespace; undefined for cluster-scoped objects. */
  namespace?: string;
  bytes: Buffer;
  /** The blob id of `bytes`. */
  id: string;
}

/** One object's file in a snapshot, ready to commit. */
export interface CollectedFile {
  path: string;
  namespace?: string;
  bytes: Buffer;
  blob: PreparedBlob;
}

/** A normalised Secret still to be sealed before it is laid out. */
export interface SecretToSeal {
  path: string;
  namespace?: string;
  object: KubeObject;
}

export interface ListPage<File> {
  metadata: ListPageMetadata;
  /** Objects the page listed, kept or not. */
  items: number;
  files: File[];
  toSeal: SecretToSeal[];
  /** Objects left out, per reason. */
  skipped: Array<[SkipReason, number]>;
}

export type LaidOutPage = ListPage<LaidOutFile>;
export type ProcessedPage = ListPage<CollectedFile>;

function parsePage(body: Uint8Array, resource: ApiResource): { metadata?: ListPageMetadata; items?: KubeObject[] } {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new ClusterError(
      `the API server sent a list of ${qualifiedResourceName(resource)} that is not valid JSON (${(error as Error).message}).`,
    );
  }
}

/** Everything but deflating: what the main thread does itself, leaving deflation to a PackEntryThreads. */
export function layOutListPage(body: Uint8Array, job: PageJob): LaidOutPage {
  const { resource } = job;
  const page = parsePage(body, resource);
  const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  const namespaceSelected = namespaceMatcher(job.namespaces);
  const scopedBy = resource.namespaced ? 'namespace' : isNamespacesResource(resource) ? 'name' : undefined;
  const sealing = job.sealSecrets && resource.group === '' && resource.resource === 'secrets';
  const processed: LaidOutPage = {
    metadata: page.metadata ?? {},
    items: page.items?.length ?? 0,
    files: [],
    toSeal: [],
    skipped: [],
  };
  const skipped = new Map<SkipReason, number>();
  for (const item of page.items ?? []) {
    // List items come without kind and apiVersion.
    item.apiVersion ??= apiVersion;
    item.kind ??= resource.kind;
    if (scopedBy && !namespaceSelected(item.metadata[scopedBy] as string | undefined)) continue;
    const result = normalizeObject(item, resource, job.normalize);
    if (result.action === 'skip') {
      skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
      continue;
    }
    const namespace = resource.namespaced ? item.metadata.namespace : undefined;
    const path = objectPath(
      { group: resource.group, resource: resource.resource, namespace, name: item.metadata.name },
      job.prefix,
    );
    if (sealing) processed.toSeal.push({ path, namespace, object: result.object });
    else {
      const bytes = Buffer.from(serializeObject(result.object));
      processed.files.push({ path, namespace, bytes, id: hashObject('blob', bytes) });
    }
  }
  processed.skipped = [...skipped];
  return processed;
}

/** The page with each file's pack entry (`entries` in the order of its files). */
export function withPackEntries(page: LaidOutPage, entries: readonly PackEntry[]): ProcessedPage {
  return { ...page, files: page.files.map(({ id, ...file }, i) => ({ ...file, blob: { id, packed: entries[i] } })) };
}

/** The whole of a page's processing, in the thread that calls it (a page worker, or this one for a small page). */
export function processListPage(body: Uint8Array, job: PageJob): ProcessedPage {
  const page = layOutListPage(body, job);
  return withPackEntries(
    page,
    page.files.map((file) => packEntry('blob', file.bytes)),
  );
}

/** The file of an object laid out on its own (a sealed Secret). */
export function collectedFile(path: string, namespace: string | undefined, object: KubeObject): CollectedFile {
  const bytes = Buffer.from(serializeObject(object));
  return { path, namespace, bytes, blob: prepareBlob(bytes) };
}
