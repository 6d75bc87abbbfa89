// RBAC PolicyRules as the real authorizer reads them: does a rule allow a request, and do rules a user holds
// cover the rules they try to grant (the privilege-escalation check), with the wording of its refusal.
import type { RequestAttributes } from './request-attributes.ts';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const ALL = '*';

function has(values: readonly string[] | undefined, value: string): boolean {
  return values !== undefined && values.includes(value);
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, ALL) || has(rule.verbs, verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, ALL) || has(rule.apiGroups, group);
}

// `*` is every resource and subresource; `*/scale` is the scale subresource of any resource.
function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const ruleResource of rule.resources ?? []) {
    if (ruleResource === ALL || ruleResource === combined) return true;
    if (subresource && ruleResource === `*/${subresource}`) return true;
  }
  return false;
}

/** A rule with resourceNames allows only requests that name one of them (never a list or a create). */
function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  if (!rule.resourceNames?.length) return true;
  return name !== undefined && name !== '' && rule.resourceNames.includes(name);
}

/** `/apis/*` covers every path below `/apis/`; `*` covers every path. */
function nonResourceUrlMatches(ruleUrl: string, path: string): boolean {
  if (ruleUrl === ALL || ruleUrl === path) return true;
  return ruleUrl.endsWith('*') && path.startsWith(ruleUrl.slice(0, -1));
}

export function ruleAllows(rule: PolicyRule, request: RequestAttributes): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if (!request.resourceRequest)
    return (rule.nonResourceURLs ?? []).some((url) => nonResourceUrlMatches(url, request.path));
  return (
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

/** Rules of one verb, one group, one resource and at most one name each (or one URL and one verb). */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames)
            atoms.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else atoms.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs) atoms.push({ nonResourceURLs: [url], verbs: [verb] });
  return atoms;
}

function hasAll(set: readonly string[] | undefined, values: readonly string[] | undefined): boolean {
  return (values ?? []).every((v) => has(set, v));
}

function resourcesCover(owner: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  if (has(owner, ALL)) return true;
  return (wanted ?? []).every((path) => {
    if (has(owner, path)) return true;
    const slash = path.indexOf('/');
    return slash !== -1 && has(owner, `*/${path.slice(slash + 1)}`);
  });
}

function nonResourceUrlsCover(owner: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((path) =>
    (owner ?? []).some((url) => url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1)))),
  );
}

/** Whether `owner` grants everything the atomic rule `atom` does (rbac/validation ruleCovers). */
function ruleCovers(owner: PolicyRule, atom: PolicyRule): boolean {
  const verbs = has(owner.verbs, ALL) || hasAll(owner.verbs, atom.verbs);
  const groups = has(owner.apiGroups, ALL) || hasAll(owner.apiGroups, atom.apiGroups);
  const names = atom.resourceNames?.length
    ? !owner.resourceNames?.length || hasAll(owner.resourceNames, atom.resourceNames)
    : !owner.resourceNames?.length;
  return (
    verbs &&
    groups &&
    resourcesCover(owner.resources, atom.resources) &&
    names &&
    nonResourceUrlsCover(owner.nonResourceURLs, atom.nonResourceURLs)
  );
}

/** The parts of `wanted` none of `owned` grants, as atomic rules (empty: `owned` covers `wanted`). */
export function uncoveredRules(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  return wanted.flatMap(breakdown).filter((atom) => !owned.some((owner) => ruleCovers(owner, atom)));
}

/** Atomic rules on the same group and resource (and name) merged into one rule of their verbs, as the real server reports them. */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const complex: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    if (rule.nonResourceURLs?.length || rule.apiGroups?.length !== 1 || rule.resources?.length !== 1) {
      complex.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups[0], rule.resources[0], rule.resourceNames?.[0] ?? null]);
    const merged = simple.get(key);
    if (merged) merged.verbs.push(...rule.verbs);
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...complex, ...simple.values()];
}

/** Go's %q of a []string: `["a" "b"]`. */
function quotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** rbacv1helpers.CompactString: `{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`. */
function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${quotedList(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${quotedList(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quotedList(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${quotedList(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${quotedList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** utilerrors.NewAggregate's wording of errors: one message as it is, several in brackets. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * The reason an escalation is refused, worded as kube-apiserver's ConfirmNoEscalation words it, with the errors
 * of resolving the writer's own rules (bindings of roles that do not exist).
 */
export function escalationMessage(
  user: { username: string; groups: readonly string[] },
  missing: PolicyRule[],
  resolutionErrors: readonly string[],
): string {
  const lines = [...new Set(compact(missing).map(compactString))].sort();
  const message = `user ${JSON.stringify(user.username)} (groups=${quotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  return resolutionErrors.length > 0 ? `${message}; resolution errors: [${aggregate(resolutionErrors)}]` : message;
}

/** A PolicyRule as it may be written in an object (fields missing, or not lists); null for what is no rule at all. */
export function policyRuleOf(value: unknown): PolicyRule | null {
  if (value === null || typeof value !== 'object') return null;
  const raw = value as Record<string, unknown>;
  const list = (field: unknown): string[] | undefined => (Array.isArray(field) ? field.map(String) : undefined);
  const rule: PolicyRule = { verbs: list(raw.verbs) ?? [] };
  const apiGroups = list(raw.apiGroups);
  const resources = list(raw.resources);
  const resourceNames = list(raw.resourceNames);
  const nonResourceURLs = list(raw.nonResourceURLs);
  if (apiGroups) rule.apiGroups = apiGroups;
  if (resources) rule.resources = resources;
  if (resourceNames) rule.resourceNames = resourceNames;
  if (nonResourceURLs) rule.nonResourceURLs = nonResourceURLs;
  return rule;
}

/** The rules of a Role or ClusterRole object. */
export function rulesOf(role: Record<string, unknown>): PolicyRule[] {
  const rules = Array.isArray(role.rules) ? role.rules : [];
  return rules.map(policyRuleOf).filter((r): r is PolicyRule => r !== null);
}
