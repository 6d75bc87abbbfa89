import {
  createObject,
  deleteObject,
  isForbidden,
  isNotFound,
  listAll,
  selfSubjectUsername,
  type ApiResource,
  type KubeClient,
} from '../kube/index.ts';

/**
 * The namespaces a `--target namespaces` drill restores into: `<source>-drill-<8 hex>`. The pattern is the only mark
 * they carry (the restore writes the revision's Namespace objects as they are), so a drill killed before its cleanup
 * is swept by the next one by name.
 */
const DRILL_NAMESPACE = /^.+-drill-[0-9a-f]{8}$/;

const namespaces: ApiResource = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  singularName: 'namespace',
  namespaced: false,
  verbs: ['list', 'delete'],
  shortNames: ['ns'],
  categories: [],
};

const roleBindings: ApiResource = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'rolebindings',
  kind: 'RoleBinding',
  singularName: 'rolebinding',
  namespaced: true,
  verbs: ['create'],
  shortNames: [],
  categories: [],
};

export function drillNamespaceName(source: string, id: string): string {
  return `${source}-drill-${id}`;
}

export async function deleteDrillNamespaces(client: KubeClient, names: readonly string[]): Promise<void> {
  for (const name of names) await deleteDrillNamespace(client, name);
}

/** False when the drill may not delete it: a least-privilege drill killed between creating it and binding its role there. */
async function deleteDrillNamespace(client: KubeClient, name: string): Promise<boolean> {
  try {
    await deleteObject(client, namespaces, undefined, name);
  } catch (error) {
    if (isForbidden(error)) return false;
    if (!isNotFound(error)) throw error;
  }
  return true;
}

/**
 * Creates the drill namespaces before the restore writes into them. With `clusterRole`, each gets a RoleBinding of
 * that ClusterRole to the drill's own identity: RBAC cannot grant by name pattern, so a least-privilege drill may
 * only create namespaces cluster-wide and holds everything else (delete included) inside the namespaces it made.
 */
export async function createDrillNamespaces(
  client: KubeClient,
  names: readonly string[],
  clusterRole?: string,
): Promise<void> {
  const subject = clusterRole ? await ownSubject(client) : undefined;
  for (const name of names) {
    await createObject(client, namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (!subject) continue;
    await createObject(client, roleBindings, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'kubesnap-drill', namespace: name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [subject],
    });
  }
}

/** Who the client is (SelfSubjectReview), as a RoleBinding subject. */
async function ownSubject(client: KubeClient): Promise<Record<string, string>> {
  const username = (await selfSubjectUsername(client)) ?? '';
  const account = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return account
    ? { kind: 'ServiceAccount', namespace: account[1], name: account[2] }
    : { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: username };
}

/** Deletes what earlier drills left behind (a drill interrupted with kill -9 cannot clean up after itself). */
export async function sweepDrillNamespaces(client: KubeClient): Promise<string[]> {
  const { items } = await listAll(client, namespaces);
  const leftovers = items
    .filter((item) => DRILL_NAMESPACE.test((item.metadata?.name as string) ?? '') && !item.metadata?.deletionTimestamp)
    .map((item) => item.metadata!.name as string);
  const deleted: string[] = [];
  for (const name of leftovers) if (await deleteDrillNamespace(client, name)) deleted.push(name);
  return deleted;
}
