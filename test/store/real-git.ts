// The real git binary, for reading back what lib/store wrote. Not a test file of its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'kubesnap-store-home-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));

const gitEnv = {
  ...process.env,
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Real Git',
  GIT_AUTHOR_EMAIL: 'git@example.com',
  GIT_COMMITTER_NAME: 'Real Git',
  GIT_COMMITTER_EMAIL: 'git@example.com',
  TZ: 'UTC',
  LC_ALL: 'C',
};

export interface GitResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd` (with `input` on its stdin); returns its output whatever the exit code. */
export function runGit(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): GitResult {
  const result = spawnSync('git', args, {
    cwd,
    env: { ...gitEnv, ...env },
    input,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git in `cwd` and returns stdout; throws with git's stderr when it fails. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): string {
  const result = runGit(cwd, args, env, input);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** `git fsck --strict` must pass; dangling objects (left by an interrupted commit) are allowed. */
export function fsck(cwd: string): string {
  return git(cwd, ['fsck', '--strict', '--no-progress']);
}

/** Loose and packed object counts from `git count-objects -v`. */
export function countObjects(cwd: string): { loose: number; packed: number; packs: number } {
  const fields = Object.fromEntries(
    git(cwd, ['count-objects', '-v'])
      .trim()
      .split('\n')
      .map((line) => line.split(': ')),
  );
  return { loose: Number(fields.count), packed: Number(fields['in-pack']), packs: Number(fields.packs) };
}

export function temporaryDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `kubesnap-store-${label}-`));
}
