// The order restore writes in (DESIGN.md, Restore): what other objects need comes first — CRDs before
// their objects, Namespaces before what lives in them, storage and RBAC before workloads — and
// admission webhooks last, so a half-restored cluster never rejects the rest of its own restore.
const leadingKinds = [
  'apiextensions.k8s.io/CustomResourceDefinition',
  '/Namespace',
  'storage.k8s.io/StorageClass',
  '/PersistentVolume',
  '/PersistentVolumeClaim',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/Role',
  '/ServiceAccount',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'rbac.authorization.k8s.io/RoleBinding',
  '/Secret',
  '/ConfigMap',
  '/LimitRange',
  'scheduling.k8s.io/PriorityClass',
];

const trailingKinds = [
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
];

/** Every kind not named above gets its own step, between the leading and trailing ones, ordered by kind. */
export function applySteps(
  kinds: ReadonlyArray<{ group: string; kind: string }>,
): (group: string, kind: string) => number {
  const key = (group: string, kind: string) => `${group}/${kind}`;
  const middle = [...new Set(kinds.map(({ group, kind }) => key(group, kind)))]
    .filter((k) => !leadingKinds.includes(k) && !trailingKinds.includes(k))
    .sort((a, b) => a.split('/')[1].localeCompare(b.split('/')[1]) || a.localeCompare(b));
  return (group, kind) => {
    const k = key(group, kind);
    const leading = leadingKinds.indexOf(k);
    if (leading >= 0) return leading;
    const trailing = trailingKinds.indexOf(k);
    if (trailing >= 0) return leadingKinds.length + middle.length + trailing;
    return leadingKinds.length + middle.indexOf(k);
  };
}
