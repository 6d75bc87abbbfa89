import { isForbidden, selfSubjectUsername, type KubeClient } from '../kube/index.ts';
import type { Author } from '../store/index.ts';

/**
 * Who runs a restore, as the history will name them: `author` (`--author`, git's `Name <email>`), else the user
 * the API server authenticated the client as (what `kubectl auth whoami` says), else the kubeconfig's name of the
 * user; undefined when none is known (a server without SelfSubjectReview, in a pod).
 */
export async function restorerName(client: KubeClient, author?: Author): Promise<string | undefined> {
  if (author) return `${author.name} <${author.email}>`;
  try {
    const username = await selfSubjectUsername(client);
    if (username) return username;
  } catch (error) {
    if (!isForbidden(error)) throw error;
  }
  return client.connection.userName;
}
