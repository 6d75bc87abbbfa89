import { readFileSync } from 'node:fs';
import { UsageError } from '../errors/index.ts';

/** An HTTPS token and the user name sent with it (hosts ignore the name; GitHub wants one, any). */
export interface GitCredentials {
  username: string;
  token: string;
}

export const DEFAULT_GIT_USERNAME = 'x-access-token';

/**
 * The token from `--git-token-file` (first line), else `KUBESNAP_GIT_TOKEN`; never from the command line,
 * which other users of the host can read. undefined: no token, the remote needs none (or git's own helpers give it).
 */
export function gitCredentials(options: { tokenFile?: string; env: NodeJS.ProcessEnv }): GitCredentials | undefined {
  let token = options.env.KUBESNAP_GIT_TOKEN;
  if (options.tokenFile !== undefined) {
    try {
      token = readFileSync(options.tokenFile, 'utf8').split('\n')[0].trim();
    } catch (error) {
      throw new UsageError(
        `--git-token-file ${options.tokenFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    if (!token) throw new UsageError(`--git-token-file ${options.tokenFile} is empty.`);
  }
  if (!token) return undefined;
  return { username: options.env.KUBESNAP_GIT_USERNAME || DEFAULT_GIT_USERNAME, token };
}
