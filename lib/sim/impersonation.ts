// User impersonation (`kubectl --as NAME --as-group GROUP`): the Impersonate-* headers make a request act as
// another user, if the requester may `impersonate` that user (or service account), each group and the uid.
import type { IncomingHttpHeaders } from 'node:http';
import type { RbacAuthorizer } from './authorizer.ts';
import type { ResourceAttributes } from './request-attributes.ts';
import { forbiddenRequest, internalError } from './status.ts';
import { ANONYMOUS_USER, serviceAccountGroups, type UserInfo } from './users.ts';

const SERVICE_ACCOUNT_USERNAME = /^system:serviceaccount:([^:]+):([^:]+)$/;

function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name];
  return value === undefined ? [] : Array.isArray(value) ? value : value.split(',').map((v) => v.trim());
}

/** Who a request acts as: `requester`, or the user its Impersonate-* headers name once each is authorised. */
export function actingUser(requester: UserInfo, headers: IncomingHttpHeaders, authorizer: RbacAuthorizer): UserInfo {
  const username = headers['impersonate-user'] as string | undefined;
  const groups = headerValues(headers, 'impersonate-group');
  const uid = headers['impersonate-uid'] as string | undefined;
  if (username === undefined) {
    if (groups.length > 0 || uid !== undefined)
      throw internalError(`requested impersonation of groups or a uid without impersonating a user`);
    return requester;
  }
  const checks: ResourceAttributes[] = [];
  const impersonate = (resource: string, name: string, namespace = ''): void => {
    checks.push({
      resourceRequest: true,
      verb: 'impersonate',
      apiGroup: '',
      apiVersion: 'v1',
      namespace,
      resource,
      name,
    });
  };
  let acting: UserInfo;
  const serviceAccount = SERVICE_ACCOUNT_USERNAME.exec(username);
  if (serviceAccount) {
    impersonate('serviceaccounts', serviceAccount[2], serviceAccount[1]);
    // A service account's groups follow from its name, unless the request names groups itself.
    acting = { username, groups: groups.length > 0 ? [] : serviceAccountGroups(serviceAccount[1]) };
  } else {
    impersonate('users', username);
    acting = { username, groups: [] };
  }
  for (const group of groups) {
    impersonate('groups', group);
    acting.groups.push(group);
  }
  if (uid !== undefined) {
    impersonate('uids', uid);
    acting.uid = uid;
  }
  for (const check of checks) {
    const decision = authorizer.authorize(requester, check);
    if (!decision.allowed) throw forbiddenRequest(requester.username, check, decision.reason);
  }
  const anonymous = username === ANONYMOUS_USER.username;
  const everyone = anonymous ? 'system:unauthenticated' : 'system:authenticated';
  if (!acting.groups.some((g) => g === 'system:authenticated' || g === 'system:unauthenticated'))
    acting.groups.push(everyone);
  return acting;
}
