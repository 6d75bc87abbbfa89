// Shared vocabulary between the simulator's HTTP server and its pure semantics modules.

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: ManagedFieldsEntry[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ResourceDef {
  group: string; // '' for the core group
  version: string; // this served version
  preferred: boolean; // the group's preferred version
  resource: string; // plural lower-case, e.g. 'deployments'
  kind: string; // 'Deployment'
  listKind: string; // 'DeploymentList'
  singularName: string;
  namespaced: boolean;
  verbs: string[]; // exactly as discovery lists them
  shortNames?: string[];
  categories?: string[];
  subresources: Array<'status' | 'scale'>;
  storageVersionHash?: string;
}
