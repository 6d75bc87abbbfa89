// Who the API server says the client is: a SelfSubjectReview, as `kubectl auth whoami` asks it.
import { ClusterError } from '../errors/index.ts';
import { isNotFound } from './api-error.ts';
import type { KubeClient } from './client.ts';
import type { ApiResource } from './discovery.ts';
import { createObject } from './writes.ts';

/** The versions serving SelfSubjectReview, newest first (v1 since Kubernetes 1.28), tried in turn as kubectl does. */
const VERSIONS = ['v1', 'v1beta1', 'v1alpha1'];

function selfSubjectReviews(version: string): ApiResource {
  return {
    group: 'authentication.k8s.io',
    version,
    resource: 'selfsubjectreviews',
    kind: 'SelfSubjectReview',
    singularName: 'selfsubjectreview',
    namespaced: false,
    verbs: ['create'],
    shortNames: [],
    categories: [],
  };
}

/**
 * The user name the API server authenticated this client as (`system:serviceaccount:shop:deployer`, `alice`);
 * undefined when the server serves no SelfSubjectReview. Other errors (a 403 included) are thrown, and so is an
 * answer that names no user (a proxy's page, a body that is not JSON).
 */
export async function selfSubjectUsername(client: KubeClient, signal?: AbortSignal): Promise<string | undefined> {
  for (const version of VERSIONS) {
    let review: { status?: { userInfo?: { username?: unknown } } } | null;
    try {
      review = await createObject(
        client,
        selfSubjectReviews(version),
        { apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview', metadata: {} },
        { signal },
      );
    } catch (error) {
      if (error instanceof SyntaxError) throw unreadableReview(client);
      if (!isNotFound(error)) throw error;
      continue;
    }
    const username = review?.status?.userInfo?.username;
    if (typeof username !== 'string' || !username) throw unreadableReview(client);
    return username;
  }
  return undefined;
}

function unreadableReview(client: KubeClient): ClusterError {
  return new ClusterError(`the API server at ${client.server} answered a SelfSubjectReview with no user name in it.`);
}
