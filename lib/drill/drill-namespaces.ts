import { deleteObject, isNotFound, listAll, type ApiResource, type KubeClient } from '../kube/index.ts';

/**
 * The namespaces a `--target namespaces` drill restores into: `<source>-drill-<8 hex>`. The pattern is the only mark
 * they carry (the restore writes the revision's Namespace objects as they are), so a drill killed before its cleanup
 * is swept by the next one by name.
 */
const DRILL_NAMESPACE = /^.+-drill-[0-9a-f]{8}$/;

const namespaces: ApiResource = {
  group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', singularName: 'namespace', namespaced: false, verbs: ['list', 'delete'], shortNames: ['ns'], categories: [],
};

export function drillNamespaceName(source: string, id: string): string {
  return `${source}-drill-${id}`;
}

export async function deleteDrillNamespaces(client: KubeClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      await deleteObject(client, namespaces, undefined, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/** Deletes what earlier drills left behind (a drill interrupted with kill -9 cannot clean up after itself). */
export async function sweepDrillNamespaces(client: KubeClient): Promise<string[]> {
  const { items } = await listAll(client, namespaces);
  const leftovers = items.filter((item) => DRILL_NAMESPACE.test((item.metadata?.name as string) ?? '') && !item.metadata?.deletionTimestamp).map((item) => item.metadata!.name as string);
  await deleteDrillNamespaces(client, leftovers);
  return leftovers;
}
