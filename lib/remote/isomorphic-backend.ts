import fs from 'node:fs';
import git, { Errors } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { notesTrackingRef, trackingRef, type GitBackend, type GitBackendOptions } from './backend.ts';
import { RemoteError } from './errors.ts';
import { redactText, redactUrl } from './redact.ts';
import { refusedUpdate } from './refusal.ts';

const REMOTE_NAME = 'kubesnap';
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** Git over HTTP(S) in-process with isomorphic-git: no git binary needed; the token goes in through onAuth only. */
export class IsomorphicGitBackend implements GitBackend {
  readonly name = 'isomorphic';

  constructor(private readonly options: GitBackendOptions) {
    if (!/^https?:\/\//i.test(options.url)) {
      throw new RemoteError(
        'other',
        `The remote ${redactUrl(options.url)} is not an http(s) URL; use --git native for SSH and other transports.`,
      );
    }
  }

  private get common() {
    const credentials = this.options.credentials;
    return {
      fs,
      http,
      gitdir: this.options.gitdir,
      url: this.options.url,
      onAuth: () => (credentials ? { username: credentials.username, password: credentials.token } : { cancel: true }),
      // Without this, isomorphic-git would ask onAuth again and again with the same rejected token.
      onAuthFailure: () => ({ cancel: true }),
    };
  }

  async fetch(): Promise<string | undefined> {
    try {
      // isomorphic-git files fetched refs by the remote's refspec; only the refspec is configured, never the URL.
      const refspecKey = `remote.${REMOTE_NAME}.fetch`;
      const refspec = `+refs/heads/${this.options.remoteBranch}:${trackingRef(this.options.remoteBranch)}`;
      if ((await git.getConfig({ fs, gitdir: this.options.gitdir, path: refspecKey })) !== refspec) {
        await git.setConfig({ fs, gitdir: this.options.gitdir, path: refspecKey, value: refspec });
      }
      const result = await git.fetch({
        ...this.common,
        remote: REMOTE_NAME,
        ref: this.options.remoteBranch,
        remoteRef: this.options.remoteBranch,
        singleBranch: true,
        tags: false,
      });
      if (!result.fetchHead) return undefined;
      return result.fetchHead;
    } catch (error) {
      if (error instanceof Errors.NotFoundError) return undefined;
      throw this.failure('Fetching from', error);
    }
  }

  async fetchNotes(notesRef: string): Promise<string | undefined> {
    try {
      // The branch's refspec does not name notes, so isomorphic-git files nothing: the tracking ref is written here.
      const result = await git.fetch({
        ...this.common,
        remote: REMOTE_NAME,
        ref: notesRef,
        remoteRef: notesRef,
        singleBranch: true,
        tags: false,
      });
      if (!result.fetchHead) return undefined;
      await git.writeRef({
        fs,
        gitdir: this.options.gitdir,
        ref: notesTrackingRef(notesRef),
        value: result.fetchHead,
        force: true,
      });
      return result.fetchHead;
    } catch (error) {
      if (error instanceof Errors.NotFoundError) return undefined;
      throw this.failure('Fetching from', error);
    }
  }

  async push(options: { force?: boolean } = {}): Promise<void> {
    // What the server prints on the side band during the push: a refusing hook's own lines.
    const remoteLines: string[] = [];
    try {
      await git.push({
        ...this.common,
        remote: REMOTE_NAME,
        ref: `refs/heads/${this.options.localBranch}`,
        remoteRef: `refs/heads/${this.options.remoteBranch}`,
        force: options.force === true,
        onMessage: (line) => void remoteLines.push(line),
      });
    } catch (error) {
      // isomorphic-git hands the side band's lines over asynchronously: let the last ones arrive.
      await new Promise((resolve) => setImmediate(resolve));
      throw this.failure('Pushing to', error, remoteLines);
    }
  }

  async trackedTip(): Promise<string | undefined> {
    try {
      return await git.resolveRef({ fs, gitdir: this.options.gitdir, ref: trackingRef(this.options.remoteBranch) });
    } catch {
      return undefined;
    }
  }

  private failure(action: string, error: unknown, remoteLines: string[] = []): RemoteError {
    const where = `${action} ${redactUrl(this.options.url)} failed`;
    const e = error as {
      code?: string;
      data?: { statusCode?: number; reason?: string; prettyDetails?: string };
      cause?: { code?: string };
    };
    if (error instanceof Errors.UserCanceledError) {
      return new RemoteError(
        'auth',
        `${where}: the remote ${this.options.credentials ? 'refused the credentials' : 'asks for credentials'}; check KUBESNAP_GIT_TOKEN or --git-token-file.`,
      );
    }
    if (error instanceof Errors.HttpError) {
      const status = e.data?.statusCode;
      if (status === 401 || status === 403)
        return new RemoteError(
          'auth',
          `${where}: the remote refused the credentials (HTTP ${status}); check KUBESNAP_GIT_TOKEN or --git-token-file.`,
        );
      if (status === 404) return new RemoteError('missing', `${where}: there is no repository at that URL (HTTP 404).`);
      return new RemoteError('network', `${where}: the server answered HTTP ${status}.`);
    }
    if (error instanceof Errors.PushRejectedError) {
      return new RemoteError(
        'rejected',
        `${where}: the remote branch ${this.options.remoteBranch} has commits this repository does not have.`,
      );
    }
    // GitPushError: the server refused the ref update, for a reason it names (the branch moved, or a hook said no).
    if (error instanceof Errors.GitPushError) {
      const refs = (error.data.result.refs ?? {}) as Record<string, { ok: boolean; error?: string }>;
      const reason = Object.values(refs).find((ref) => !ref.ok)?.error ?? 'refused';
      const lines = remoteLines.map((line) => redactText(line, [this.options.credentials?.token]));
      return refusedUpdate(where, this.options.remoteBranch, reason, lines);
    }
    const code = e.code ?? e.cause?.code;
    if (code && NETWORK_CODES.has(code))
      return new RemoteError('network', `${where}: the remote cannot be reached (${code}).`);
    const text = redactText(error instanceof Error ? error.message : String(error), [this.options.credentials?.token]);
    return new RemoteError('other', `${where}: ${text.split('\n')[0]}`);
  }
}
