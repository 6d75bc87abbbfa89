// A snapshot repository with a known history, written through the store as `kubesnap snapshot` writes it.
import { join } from 'node:path';
import { serializeObject } from '../../lib/layout/index.ts';
import { SnapshotRepository, type FileChange } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

export const digest = (char: string) => `sha256:${char.repeat(64)}`;

/** Commit times, seconds since the epoch: 09:00, 10:00 and 11:00 UTC on 2026-11-20. */
export const times = [
  Date.parse('2026-11-20T09:00:00Z') / 1000,
  Date.parse('2026-11-20T10:00:00Z') / 1000,
  Date.parse('2026-11-20T11:00:00Z') / 1000,
];

export function deployment(replicas: number, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image, ports: [{ containerPort: 8080 }] },
            { name: 'proxy', image: 'envoy:1.30' },
          ],
        },
      },
    },
  };
}

export function secret(name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, type: 'Opaque', data };
}

export function configMap(namespace: string, name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true }],
  },
};

const widget = (size: number) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'blue', namespace: 'shop' },
  spec: { size },
});

export const paths = {
  web: 'shop/deployments.apps/web.yaml',
  creds: 'shop/secrets/creds.yaml',
  oldConfig: 'shop/configmaps/old-config.yaml',
  crd: '_cluster/customresourcedefinitions.apiextensions.k8s.io/gadgets.example.com.yaml',
  widget: 'shop/widgets.example.com/blue.yaml',
  payments: 'payments/configmaps/settings.yaml',
};

const file = (path: string, object: object): FileChange => ({ path, content: serializeObject(object) });

/**
 * Three commits:
 *   09:00  web (2 replicas, shop:v1), creds (digest a), old-config, widget blue (size 1), payments settings, README
 *   10:00  web (3, shop:v2), creds (digest b), old-config deleted, CRD gadgets created, widget size 2 — by kubectl-edit
 *   11:00  web (4 replicas), payments settings changed — by kubectl-scale
 */
export async function historyRepository(): Promise<{
  dir: string;
  repository: SnapshotRepository;
  commits: string[];
  remove(): void;
}> {
  const tmp = temporaryDirectory('kubesnap-diff-');
  const dir = join(tmp.path, 'repo');
  const repository = await SnapshotRepository.open(dir, { create: true });
  const author = (at: number) => ({ name: 'kubesnap', email: 'kubesnap@localhost', timestamp: at, timezoneOffset: 0 });
  const commits: string[] = [];
  const commit = async (changes: FileChange[], message: string, at: number) => {
    const result = await repository.commitChanges(changes, { message, author: author(at) });
    commits.push(result!.commit);
  };
  await commit(
    [
      file(paths.web, deployment(2, 'shop:v1')),
      file(paths.creds, secret('creds', { password: digest('a'), user: digest('c') })),
      file(paths.oldConfig, configMap('shop', 'old-config', { mode: 'legacy' })),
      file(paths.widget, widget(1)),
      file(paths.payments, configMap('payments', 'settings', { currency: 'EUR' })),
      { path: 'README.md', content: '# snapshot\n' },
    ],
    'snapshot: 5 created, 0 updated, 0 deleted',
    times[0],
  );
  await commit(
    [
      file(paths.web, deployment(3, 'shop:v2')),
      file(paths.creds, secret('creds', { password: digest('b'), user: digest('c') })),
      { path: paths.oldConfig, content: null },
      file(paths.crd, crd),
      file(paths.widget, widget(2)),
    ],
    'snapshot: 1 created, 3 updated, 1 deleted\n\nKubesnap-Changed-By: kubectl-edit',
    times[1],
  );
  await commit(
    [
      file(paths.web, deployment(4, 'shop:v2')),
      file(paths.payments, configMap('payments', 'settings', { currency: 'USD' })),
    ],
    'snapshot: 0 created, 2 updated, 0 deleted\n\nKubesnap-Changed-By: kubectl-scale',
    times[2],
  );
  return { dir, repository, commits, remove: tmp.remove };
}

/** Two commits of a repository written with `--secrets plain`: readable (base64) values. */
export async function plainSecretsRepository(): Promise<{
  dir: string;
  repository: SnapshotRepository;
  remove(): void;
}> {
  const tmp = temporaryDirectory('kubesnap-diff-plain-');
  const dir = join(tmp.path, 'repo');
  const repository = await SnapshotRepository.open(dir, { create: true });
  const author = { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: times[0], timezoneOffset: 0 };
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  await repository.commitChanges(
    [file(paths.creds, secret('creds', { password: b64('hunter2-old'), user: b64('admin') }))],
    { message: 'one', author },
  );
  await repository.commitChanges(
    [file(paths.creds, secret('creds', { password: b64('hunter2-new'), user: b64('admin') }))],
    { message: 'two', author: { ...author, timestamp: times[1] } },
  );
  return { dir, repository, remove: tmp.remove };
}
