// What kube-controller-manager puts in every new namespace: the `default` ServiceAccount and the
// `kube-root-ca.crt` ConfigMap, stored as those controllers make them.
import { randomUUID } from 'node:crypto';
import { defaultServiceAccount, rootCaConfigMap } from './bootstrap.ts';
import { storedOrder } from './object-shape.ts';
import { bucketOf, keyOf, type ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';

const SERVICE_ACCOUNTS = bucketOf('', 'serviceaccounts');
const CONFIG_MAPS = bucketOf('', 'configmaps');

export function populateNamespace(store: ObjectStore, namespace: string, caPem: string, time: string): void {
  insertAsIs(store, SERVICE_ACCOUNTS, defaultServiceAccount(namespace), time);
  insertAsIs(store, CONFIG_MAPS, rootCaConfigMap(namespace, caPem, time), time);
}

/** Stores a controller-made object exactly as given (its managedFields included), adding only the server fields. */
function insertAsIs(store: ObjectStore, bucket: string, object: KubeObject, time: string): void {
  const key = keyOf(object.metadata.namespace, object.metadata.name!);
  if (store.get(bucket, key)) return;
  const revision = store.nextRevision();
  object.metadata.uid = randomUUID();
  object.metadata.resourceVersion = String(revision);
  object.metadata.creationTimestamp = time;
  store.commit('ADDED', bucket, key, storedOrder(object), revision);
}
