import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { repositoryDigestKey } from '../../lib/secrets/digest-key.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { startSimulator, type KubeObject, type Simulator } from '../../lib/sim/index.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;

/** A simulator seeded with test/fixtures/cluster (three namespaces, a CRD and its object, RBAC, every Service type, Secrets). */
export async function startSeededSimulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  for (const file of readdirSync(fixtureDir).sort()) sim.seedYaml(readFileSync(join(fixtureDir, file), 'utf8'));
  return sim;
}

/** A namespace with `count` ConfigMaps named cm-000, cm-001, …, for tests that page through a list. */
export function seedConfigMapNamespace(sim: Simulator, namespace: string, count: number): void {
  const configMap = (i: number): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${String(i).padStart(3, '0')}`, namespace },
    data: { i: String(i) },
  });
  sim.seed([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    ...Array.from({ length: count }, (_, i) => configMap(i)),
  ]);
}

export async function clientFor(sim: Simulator): Promise<KubeClient> {
  return new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
}

export const testAuthor = { name: 'kubesnap test', email: 'test@kubesnap.invalid' };
export const testCluster = { server: 'https://127.0.0.1', context: 'sim' };

/**
 * The object files (path → blob id) a fresh snapshot of the cluster writes now: what any history of it must end at.
 * Secret digests depend on the repository's digest key: `sameKeyAs` is the git folder of the repository compared with.
 */
export async function freshSnapshotFiles(
  sim: Simulator,
  dir: string,
  sameKeyAs?: string,
): Promise<Map<string, string>> {
  const client = await clientFor(sim);
  try {
    const repository = await SnapshotRepository.open(dir, { create: true });
    const normalize = sameKeyAs ? { digestKey: await repositoryDigestKey(sameKeyAs, { create: false }) } : undefined;
    await takeSnapshot({ client, repository, author: testAuthor, cluster: testCluster, normalize });
    return objectFiles(await repository.readFiles());
  } finally {
    client.close();
  }
}

export function objectFiles(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => !path.endsWith('README.md')).sort(([a], [b]) => a.localeCompare(b)));
}

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
