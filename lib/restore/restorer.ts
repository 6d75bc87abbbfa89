import { KubesnapError } from '../errors/index.ts';
import { isForbidden, selfSubjectUsername, type KubeClient } from '../kube/index.ts';
import type { Author } from '../store/index.ts';

/** How long the API server may take to say who the client is before the kubeconfig's user is named instead. */
const WHOAMI_TIMEOUT_MS = 10_000;

export interface RestorerOptions {
  /** Told in one sentence when the API server could not say who the client is, so the kubeconfig's user is named. */
  warn?: (message: string) => void;
  whoamiTimeoutMs?: number;
}

/**
 * Who runs a restore, as the history will name them: `author` (`--author`, git's `Name <email>`), else the user
 * the API server authenticated the client as (what `kubectl auth whoami` says), else the kubeconfig's name of the
 * user; undefined when none is known (a server without SelfSubjectReview, in a pod).
 * Asking the server is a courtesy the restore never fails for: whatever goes wrong (a 500, no answer, an answer
 * that names nobody) names the kubeconfig's user, with a warning unless RBAC simply does not let the client ask.
 * A server that is really down fails the restore's own requests, each with its own sentence.
 */
export async function restorerName(
  client: KubeClient,
  author?: Author,
  options: RestorerOptions = {},
): Promise<string | undefined> {
  if (author) return `${author.name} <${author.email}>`;
  const timeoutMs = options.whoamiTimeoutMs ?? WHOAMI_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const username = await selfSubjectUsername(client, timeout);
    if (username) return username;
  } catch (error) {
    if (!isForbidden(error)) {
      const reason = timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : failureReason(error);
      options.warn?.(fallbackWarning(reason, client.connection.userName));
    }
  }
  return client.connection.userName;
}

function failureReason(error: unknown): string {
  const message = error instanceof KubesnapError ? error.message : String(error);
  return message.replace(/\.$/, '');
}

function fallbackWarning(reason: string, userName: string | undefined): string {
  const named =
    userName === undefined ? 'names nobody as its runner' : `is named after the kubeconfig's user "${userName}"`;
  return `the API server could not say who you are (${reason}); the restore ${named}.`;
}
