// Snapshot repositories for the drill tests, written file by file as snapshots lay them out (so they can hold
// manifests no API server would accept), and the real git to read the drill notes back.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { objectPath, serializeObject } from '../../lib/layout/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const run = promisify(execFile);

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** `apps/v1` → group apps; `v1` → the core group. */
function identityOf(manifest: Manifest, resource: string) {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  return { group, resource, namespace: manifest.metadata.namespace, name: manifest.metadata.name };
}

export async function writeRepository(
  objects: Array<[resource: string, manifest: Manifest]>,
): Promise<{ repo: string; repository: SnapshotRepository; remove(): void }> {
  const tmp = temporaryDirectory('kubesnap-drill-');
  const repo = join(tmp.path, 'repo');
  const repository = await SnapshotRepository.open(repo, { create: true });
  await repository.commitChanges(
    objects.map(([resource, manifest]) => ({
      path: objectPath(identityOf(manifest, resource)),
      content: serializeObject(manifest),
    })),
    { message: 'snapshot', author: { name: 'test', email: 'test@localhost', timestamp: 1_780_000_000 } },
  );
  return { repo, repository, remove: () => tmp.remove() };
}

export const namespace = (name: string): [string, Manifest] => [
  'namespaces',
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
];

export const configMap = (
  ns: string,
  name: string,
  data: Record<string, string> = { key: 'value' },
): [string, Manifest] => [
  'configmaps',
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data },
];

export const deployment = (
  ns: string,
  name: string,
  app: string,
  image = 'registry.example.com/shop/web:v1',
): [string, Manifest] => [
  'deployments',
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'web', image }] } },
    },
  },
];

export async function git(repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['--git-dir', repo, ...args]);
  return stdout;
}

export async function drillNote(repo: string, rev = 'HEAD'): Promise<string> {
  return git(repo, 'notes', '--ref', 'kubesnap-drills', 'show', rev);
}
