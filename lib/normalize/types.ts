import type { SecretsMode } from '../secrets/index.ts';
import type { SkipReason } from './skip-reasons.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  subresource?: string;
  time?: string;
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface OwnerReference {
  controller?: boolean;
  kind: string;
  name: string;
  apiVersion: string;
  uid: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    managedFields?: ManagedFieldsEntry[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface NormalizeOptions {
  /** Skip reasons the user turned off (`--include-owned`, ...). */
  include?: ReadonlySet<SkipReason>;
  /** What happens to Secret values; default 'redact'. */
  secrets?: SecretsMode;
  /** The HMAC key of redacted values (lib/secrets/digest-key.ts); redacting a Secret without it is a bug. */
  digestKey?: Uint8Array;
}

export type NormalizeResult = { action: 'keep'; object: KubeObject } | { action: 'skip'; reason: SkipReason };
