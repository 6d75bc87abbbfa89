// Where the pod specs of each workload kind are, and the containers in a pod spec.

const podSpecPaths: Record<string, string[][]> = {
  Pod: [['spec']],
  PodTemplate: [['template', 'spec']],
  ReplicationController: [['spec', 'template', 'spec']],
  Deployment: [['spec', 'template', 'spec']],
  StatefulSet: [['spec', 'template', 'spec']],
  DaemonSet: [['spec', 'template', 'spec']],
  ReplicaSet: [['spec', 'template', 'spec']],
  Job: [['spec', 'template', 'spec']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template', 'spec']],
};

/** The snapshot repository's folders for those kinds (`<resource>[.<group>]`). */
export const workloadResources: ReadonlyArray<{ group: string; resource: string }> = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'podtemplates' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
];

export const containerFields = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerField = (typeof containerFields)[number];

export interface ContainerEntry {
  field: ContainerField;
  container: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The pod specs inside an object of a workload kind (none for any other kind). */
export function podSpecsOf(object: object): Json[] {
  const kind = (object as { kind?: unknown }).kind;
  const paths = typeof kind === 'string' ? podSpecPaths[kind] : undefined;
  if (!paths) return [];
  return paths.flatMap((path) => {
    let value: unknown = object;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    return isObject(value) ? [value] : [];
  });
}

export function containersOf(spec: Json): ContainerEntry[] {
  return containerFields.flatMap((field) => {
    const list = spec[field];
    return Array.isArray(list) ? list.filter(isObject).map((container) => ({ field, container })) : [];
  });
}
