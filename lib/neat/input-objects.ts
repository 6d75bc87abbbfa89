// What `kubesnap neat` was given → the Kubernetes objects in it: one per document of a stream, a List's items
// in their place. Items of a typed list (`PodList`, as the API serves it) carry no apiVersion and kind: the
// list's own say what they are.
import { isJsonMap, type JsonMap } from '../json/index.ts';
import { ManifestError } from '../layout/index.ts';
import type { KubeObject } from '../normalize/index.ts';

export interface InputObjects {
  objects: KubeObject[];
  /** One document holding one object (not a List): written back as one object, not as a List. */
  single: boolean;
}

function isList(value: JsonMap): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

/** `apps/v1` `DeploymentList` → `apps/v1` `Deployment`; a plain `List` has no kind to give its items. */
function itemTypeOf(list: JsonMap): { apiVersion?: unknown; kind?: string } {
  const kind = list.kind as string;
  return kind === 'List' ? {} : { apiVersion: list.apiVersion, kind: kind.slice(0, -'List'.length) };
}

function isKubeObject(value: JsonMap): value is KubeObject {
  return (
    typeof value.apiVersion === 'string' &&
    value.apiVersion !== '' &&
    typeof value.kind === 'string' &&
    value.kind !== '' &&
    isJsonMap(value.metadata)
  );
}

/** "The input from stdin" → "item 2 of the input from stdin". */
function partOf(part: string, whole: string): string {
  return `${part} of ${whole.replace(/^The /, 'the ')}`;
}

function objectsOf(value: unknown, where: string, into: KubeObject[]): void {
  if (!isJsonMap(value))
    throw new ManifestError(
      `${where} is ${Array.isArray(value) ? 'a sequence' : 'a single value'}, not a Kubernetes object: kubesnap neat reads objects with apiVersion, kind and metadata.`,
    );
  if (isList(value)) {
    const itemType = itemTypeOf(value);
    (value.items as unknown[]).forEach((item, index) =>
      objectsOf(isJsonMap(item) ? { ...itemType, ...item } : item, partOf(`item ${index + 1}`, where), into),
    );
    return;
  }
  if (!isKubeObject(value))
    throw new ManifestError(`${where} is not a Kubernetes object: it needs apiVersion, kind and metadata.`);
  into.push(value);
}

/** The objects of the parsed documents (empty documents skipped, as kubectl does); `subject` names the input in errors. */
export function inputObjects(documents: unknown[], subject: string): InputObjects {
  const present = documents.filter((document) => document !== null && document !== undefined);
  if (present.length === 0)
    throw new ManifestError(
      `${subject} holds no object: kubesnap neat reads YAML or JSON of an object, a List, or several documents.`,
    );
  const objects: KubeObject[] = [];
  present.forEach((document, index) =>
    objectsOf(document, present.length === 1 ? subject : partOf(`document ${index + 1}`, subject), objects),
  );
  return { objects, single: present.length === 1 && !isList(present[0] as JsonMap) };
}
