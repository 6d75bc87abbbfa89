// The few validations every object gets: a name that fits its resource.
import { sameJson } from '../json/index.ts';
import { invalid, type StatusCause } from './status.ts';
import type { KubeObject, ResourceDef } from './types.ts';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

// Resources whose names are DNS labels rather than subdomains.
const LABEL_NAMED = new Set(['/namespaces', '/services']);

function nameProblem(def: ResourceDef, name: string): string | undefined {
  if (def.group === 'rbac.authorization.k8s.io') {
    // RBAC names are path segments: anything but '/', '%' and the names '.' and '..'.
    if (name === '.' || name === '..' || /[/%]/.test(name)) return `may not contain '/' or '%'`;
    return undefined;
  }
  if (LABEL_NAMED.has(`${def.group}/${def.resource}`)) {
    if (name.length > 63) return 'must be no more than 63 characters';
    return DNS1123_LABEL.test(name) ? undefined : LABEL_MESSAGE;
  }
  if (name.length > 253) return 'must be no more than 253 characters';
  return DNS1123_SUBDOMAIN.test(name) ? undefined : SUBDOMAIN_MESSAGE;
}

/** Throws 422 Invalid when the object has no usable name. */
export function validateName(def: ResourceDef, object: KubeObject): void {
  const name = object.metadata.name;
  const causes: StatusCause[] = [];
  if (!name) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    });
  } else {
    const problem = nameProblem(def, name);
    if (problem)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(name)}: ${problem}`,
        field: 'metadata.name',
      });
  }
  if (def.group === 'apiextensions.k8s.io' && def.resource === 'customresourcedefinitions' && name) {
    const spec = object.spec as { group?: string; names?: { plural?: string } } | undefined;
    const expected = `${spec?.names?.plural}.${spec?.group}`;
    if (name !== expected)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(name)}: must be spec.names.plural+"."+spec.group`,
        field: 'metadata.name',
      });
  }
  if (causes.length) throw invalid(def.group, def.kind, name ?? '', causes);
}

/**
 * The immutable fields the real server refuses to change on update: a ConfigMap's or Secret's data once
 * `immutable: true` is set, and a workload's label selector.
 */
export function validateImmutableFields(def: ResourceDef, previous: KubeObject, next: KubeObject): void {
  const name = String(previous.metadata.name);
  if (
    def.group === '' &&
    (def.resource === 'configmaps' || def.resource === 'secrets') &&
    previous.immutable === true
  ) {
    const fields = def.resource === 'configmaps' ? ['data', 'binaryData'] : ['data'];
    const causes: StatusCause[] = fields
      .filter((field) => !sameJson(previous[field] ?? null, next[field] ?? null))
      .map((field) => ({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field is immutable when `immutable` is set',
        field,
      }));
    if (next.immutable !== true)
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field is immutable when `immutable` is set',
        field: 'immutable',
      });
    if (causes.length) throw invalid(def.group, def.kind, name, causes);
  }
  if (def.group === 'apps' && ['deployments', 'statefulsets', 'daemonsets', 'replicasets'].includes(def.resource)) {
    if (!sameJson(selectorOf(previous) ?? null, selectorOf(next) ?? null)) {
      throw invalid(def.group, def.kind, name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(selectorOf(next))}: field is immutable`,
          field: 'spec.selector',
        },
      ]);
    }
  }
}

function selectorOf(object: KubeObject): unknown {
  return (object.spec as { selector?: unknown } | undefined)?.selector;
}
