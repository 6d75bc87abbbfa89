// Loads the recorded kube-apiserver responses in test/fixtures/apiserver with the ResourceInfo
// discovery gives for them, as the kube layer would hand them to normalizeObject.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeObject, ResourceInfo } from '../../lib/normalize/index.ts';

export const apiserverDir = fileURLToPath(new URL('../fixtures/apiserver/', import.meta.url));
export const normalizedDir = fileURLToPath(new URL('../fixtures/normalized/', import.meta.url));

function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function discoveryResources(): ResourceInfo[] {
  const infos: ResourceInfo[] = [];
  for (const file of readdirSync(`${apiserverDir}discovery`)) {
    const match = /^(?:api_(v1)|apis_(.+)_(v[^_]+))\.json$/.exec(file);
    if (!match) continue;
    const group = match[2] ?? '';
    const version = match[1] ?? match[3];
    for (const resource of readJson(`${apiserverDir}discovery/${file}`).resources) {
      if (resource.name.includes('/')) continue;
      infos.push({
        group,
        version,
        resource: resource.name,
        kind: resource.kind,
        namespaced: resource.namespaced,
        verbs: resource.verbs,
      });
    }
  }
  return infos;
}

const resources = discoveryResources();

export function resourceInfo(resource: string, group: string): ResourceInfo {
  const matches = resources.filter((info) => info.resource === resource && info.group === group);
  // Some groups are served at two versions (autoscaling v1 and v2): prefer the newest.
  const info = matches.sort((a, b) => b.version.localeCompare(a.version))[0];
  if (!info) throw new Error(`no discovery entry for ${resource}.${group}`);
  return info;
}

/** `<resource>[.<group>]`, as fixture file names spell it. */
export function splitResourceFolder(folder: string): { resource: string; group: string } {
  const dot = folder.indexOf('.');
  return dot === -1
    ? { resource: folder, group: '' }
    : { resource: folder.slice(0, dot), group: folder.slice(dot + 1) };
}

export interface RecordedObject {
  file: string;
  raw: KubeObject;
  info: ResourceInfo;
}

/** Every objects/<namespace>_<resource>_<name>.json. */
export function recordedObjects(): RecordedObject[] {
  return readdirSync(`${apiserverDir}objects`)
    .sort()
    .map((file) => {
      const [, folder] = file.split('_').filter((part) => part !== '');
      const { resource, group } = splitResourceFolder(folder);
      return { file, raw: readJson(`${apiserverDir}objects/${file}`), info: resourceInfo(resource, group) };
    });
}

/** The items of lists/<resource>[.<group>].json, as the list response carries them (no kind/apiVersion). */
export function recordedList(listFile: string): RecordedObject[] {
  const { resource, group } = splitResourceFolder(listFile.replace(/\.json$/, ''));
  const info = resourceInfo(resource, group);
  return readJson(`${apiserverDir}lists/${listFile}`).items.map((raw: KubeObject) => ({ file: listFile, raw, info }));
}
