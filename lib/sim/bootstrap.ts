// Objects the control plane creates by itself: the built-in namespaces and, in every namespace, the
// `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap kube-controller-manager publishes.
import type { KubeObject } from './types.ts';

export const BUILTIN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function defaultServiceAccount(namespace: string): KubeObject {
  return { metadata: { name: 'default', namespace } };
}

export function rootCaConfigMap(namespace: string, caPem: string, time: string): KubeObject {
  return {
    metadata: {
      name: 'kube-root-ca.crt',
      namespace,
      annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION },
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': { '.': {}, 'f:ca.crt': {} },
            'f:metadata': { 'f:annotations': { '.': {}, 'f:kubernetes.io/description': {} } },
          },
        },
      ],
    },
    data: { 'ca.crt': caPem },
  };
}

/** A CRD's status once the apiextensions controller has accepted its names. */
export function establishedCrdStatus(crd: KubeObject, time: string): Record<string, unknown> {
  const spec = crd.spec as { names: Record<string, unknown>; versions?: Array<{ name: string; storage?: boolean }> };
  const names = { ...spec.names };
  if (!names.listKind) names.listKind = `${names.kind}List`;
  if (!names.singular) names.singular = String(names.kind).toLowerCase();
  const storage = spec.versions?.find((v) => v.storage) ?? spec.versions?.[0];
  return {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: time,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: time,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: names,
    storedVersions: storage ? [storage.name] : [],
  };
}
