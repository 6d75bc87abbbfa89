// Multi-document YAML manifests from files and folders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { UsageError } from '../errors/index.ts';
import type { KubeObject } from './types.ts';

/** Manifests that cannot be read or are not Kubernetes objects. */
export class ManifestError extends UsageError {}

/** The objects of a multi-document YAML text; `List` kinds are flattened, empty documents skipped. */
export function parseManifests(text: string, source = 'input'): KubeObject[] {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch (error) {
    throw new ManifestError(`${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const objects: KubeObject[] = [];
  for (const document of documents) {
    if (document === null || document === undefined) continue;
    if (typeof document !== 'object' || Array.isArray(document))
      throw new ManifestError(`${source} holds a YAML document that is not a Kubernetes object.`);
    const object = document as KubeObject;
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      objects.push(...(object.items as KubeObject[]));
      continue;
    }
    if (
      typeof object.apiVersion !== 'string' ||
      typeof object.kind !== 'string' ||
      typeof object.metadata !== 'object' ||
      object.metadata === null
    ) {
      throw new ManifestError(`${source} holds a document without apiVersion, kind and metadata.`);
    }
    objects.push(object);
  }
  return objects;
}

function manifestFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      if (statSync(child).isDirectory()) return manifestFiles(child);
      return ['.yaml', '.yml', '.json'].includes(extname(name)) ? [child] : [];
    });
}

/** Reads every .yaml/.yml/.json file of the given files and folders (folders recursively, in name order). */
export function loadManifests(paths: string[]): KubeObject[] {
  return paths.flatMap((path) => {
    let files: string[];
    try {
      files = manifestFiles(path);
    } catch {
      throw new ManifestError(`${path} does not exist or cannot be read.`);
    }
    return files.flatMap((file) => parseManifests(readFileSync(file, 'utf8'), file));
  });
}
