import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { RepositoryError } from '../errors/index.ts';
import { diskFullError } from './disk-full.ts';
import { folderIdentity, type FolderIdentity } from './folder-identity.ts';

export interface RepositoryLayout {
  dir: string;
  gitdir: string;
  bare: boolean;
  /** Set when this call created the repository: what to take away to leave the folder as it was (removeCreated). */
  created?: CreatedRepository;
}

/** Where a repository was created: `dir`, and the first folder the creation made (dir or a parent), if any. */
export interface CreatedRepository {
  dir: string;
  firstCreatedFolder?: string;
  gitdir: string;
  /** The git folder as it was made: one deleted and made again in its place (by anyone) has another identity. */
  gitdirIdentity?: FolderIdentity;
}

function isGitdir(path: string): boolean {
  return existsSync(join(path, 'HEAD')) && existsSync(join(path, 'objects')) && existsSync(join(path, 'refs'));
}

/** `.git` as a folder, or as a `gitdir: <path>` file (linked work trees, submodules). */
function dotGit(dir: string): string | undefined {
  const path = join(dir, '.git');
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) return isGitdir(path) ? path : undefined;
  const match = /^gitdir: (.+)$/m.exec(readFileSync(path, 'utf8'));
  if (!match) return undefined;
  const target = match[1].trim();
  const gitdir = isAbsolute(target) ? target : resolve(dir, target);
  return isGitdir(gitdir) ? gitdir : undefined;
}

/** Finds an existing repository at `dir`: the folder is a bare gitdir, or has a .git. */
export function findRepository(dir: string): RepositoryLayout | undefined {
  if (isGitdir(dir)) return { dir, gitdir: dir, bare: true };
  const gitdir = dotGit(dir);
  return gitdir ? { dir, gitdir, bare: false } : undefined;
}

const DESCRIPTION = 'Kubernetes configuration history written by kubesnap.\n';

function configText(bare: boolean): string {
  const config = ['[core]', '\trepositoryformatversion = 0', '\tfilemode = true', `\tbare = ${bare}`];
  if (!bare) config.push('\tlogallrefupdates = true');
  return `${config.join('\n')}\n`;
}

/** Lays out what `git init [--bare] -b <branch>` lays out; HEAD last, as it is what makes the folder a repository. */
function layOut(gitdir: string, bare: boolean, branch: string): void {
  for (const sub of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags', 'info'])
    mkdirSync(join(gitdir, sub), { recursive: true });
  writeFileSync(join(gitdir, 'config'), configText(bare));
  writeFileSync(join(gitdir, 'description'), DESCRIPTION);
  writeFileSync(join(gitdir, 'HEAD'), `ref: refs/heads/${branch}\n`);
}

function isValidHead(text: string): boolean {
  const head = text.trim();
  return /^ref: refs\/\S+$/.test(head) || /^[0-9a-f]{40}$/.test(head);
}

/** Whether the file at `path` is missing or holds the start of one of `texts` (a write cut short). */
function isMissingOrStartOf(path: string, texts: string[]): boolean {
  if (!existsSync(path)) return true;
  const content = readFileSync(path, 'utf8');
  return texts.some((text) => text.startsWith(content));
}

function hasFiles(dir: string): boolean {
  return (
    existsSync(dir) && readdirSync(dir, { recursive: true, withFileTypes: true }).some((entry) => !entry.isDirectory())
  );
}

/**
 * Whether `gitdir` is what creating a repository left when it stopped before HEAD was written (a kill, or an older
 * kubesnap on a full disk): only what layOut makes (and the debris of writes under objects/, and lock files), our
 * config and description or the start of them, HEAD missing or cut short, not one ref. It is laid out again.
 */
function isUnfinishedLayout(gitdir: string): boolean {
  const head = join(gitdir, 'HEAD');
  if (existsSync(head) && isValidHead(readFileSync(head, 'utf8'))) return false;
  const made = new Set(['objects', 'refs', 'info', 'config', 'description', 'HEAD']);
  if (!readdirSync(gitdir).every((name) => made.has(name) || name.startsWith('kubesnap.lock'))) return false;
  return (
    isMissingOrStartOf(join(gitdir, 'config'), [configText(true), configText(false)]) &&
    isMissingOrStartOf(join(gitdir, 'description'), [DESCRIPTION]) &&
    !hasFiles(join(gitdir, 'refs')) &&
    !hasFiles(join(gitdir, 'info'))
  );
}

/** An unfinished repository in `dir` (see isUnfinishedLayout), bare or in `dir/.git`; undefined when there is none. */
function unfinishedRepository(dir: string): { bare: boolean } | undefined {
  const entries = readdirSync(dir);
  if (entries.length === 1 && entries[0] === '.git' && statSync(join(dir, '.git')).isDirectory())
    return isUnfinishedLayout(join(dir, '.git')) ? { bare: false } : undefined;
  return entries.length > 0 && isUnfinishedLayout(dir) ? { bare: true } : undefined;
}

/**
 * Creates a repository in a folder that is missing or empty. One that cannot be finished (a full disk) is taken
 * away again, so the folder is as it was and the next run starts afresh.
 */
function initRepository(dir: string, bare: boolean, branch: string): RepositoryLayout {
  const gitdir = bare ? dir : join(dir, '.git');
  const created: CreatedRepository = { dir, gitdir };
  try {
    created.firstCreatedFolder = mkdirSync(dir, { recursive: true });
    layOut(gitdir, bare, branch);
  } catch (error) {
    removeCreated(created);
    throw diskFullError(error, dir, 0);
  }
  created.gitdirIdentity = folderIdentity(gitdir);
  return { dir, gitdir, bare, created };
}

/** Whether the repository initRepository created is still on disk, the same git folder, with no ref written since. */
export function isUnusedCreation(created: CreatedRepository): boolean {
  return (
    created.gitdirIdentity !== undefined &&
    folderIdentity(created.gitdir) === created.gitdirIdentity &&
    !hasFiles(join(created.gitdir, 'refs')) &&
    !existsSync(join(created.gitdir, 'packed-refs'))
  );
}

/** Takes a repository initRepository created away again: the folders it made, or what it put in a folder that was empty. */
export function removeCreated(created: CreatedRepository): void {
  if (created.firstCreatedFolder) rmSync(created.firstCreatedFolder, { recursive: true, force: true });
  else if (existsSync(created.dir))
    for (const name of readdirSync(created.dir)) rmSync(join(created.dir, name), { recursive: true, force: true });
}

/** Checks what git itself checks before trusting a repository we did not make. */
function checkRepository(layout: RepositoryLayout): void {
  const configPath = join(layout.gitdir, 'config');
  const config = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  if (/^\s*objectformat\s*=\s*sha256\s*$/im.test(config)) {
    throw new RepositoryError(`The repository ${layout.dir} uses SHA-256 object ids, which kubesnap does not support.`);
  }
  if (!isValidHead(readFileSync(join(layout.gitdir, 'HEAD'), 'utf8'))) {
    throw new RepositoryError(`The repository ${layout.dir} has a corrupt HEAD file.`);
  }
}

/**
 * Opens or (unless told not to) creates the repository at `dir`, refusing files and foreign folders. A repository
 * whose creation stopped half-way is created again (unfinishedRepository).
 */
export function openLayout(dir: string, options: { create: boolean; bare: boolean; branch: string }): RepositoryLayout {
  const absolute = resolve(dir);
  let bare = options.bare;
  if (existsSync(absolute)) {
    if (!statSync(absolute).isDirectory())
      throw new RepositoryError(`The repository path ${absolute} is a file, not a folder.`);
    const unfinished = unfinishedRepository(absolute);
    const found = unfinished ? undefined : findRepository(absolute);
    if (found) {
      checkRepository(found);
      return found;
    }
    if (!unfinished && readdirSync(absolute).length > 0) {
      throw new RepositoryError(
        `The folder ${absolute} is not a git repository and is not empty; point --repo at a repository or an empty folder.`,
      );
    }
    bare = unfinished?.bare ?? bare;
  }
  if (!options.create) throw new RepositoryError(`There is no git repository at ${absolute}.`);
  return initRepository(absolute, bare, options.branch);
}

/** Whether `name` is a branch name git accepts (the check-ref-format rules that matter). */
export function isValidBranchName(name: string): boolean {
  if (!name || name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock')) return false;
  if (name.includes('..') || name.includes('//') || name.includes('@{') || name === '@') return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.'));
}
