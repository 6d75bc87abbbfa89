// The baselines git itself gives: `git fast-import` writing the very same files, as one commit into an empty
// repository or as one more commit on top. fast-import reads its stream from a file (its best case) and is
// told the repository with --git-dir (found from its working directory it spent several times longer here).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { timedProcess, type Timing } from './measure.ts';

const committer = 'committer bench <bench@kubesnap.invalid> 1800000000 +0000';

/** Writes a fast-import stream of `files` as one commit on refs/heads/main (on top of it when `parent`). */
function writeStream(file: string, files: Array<[string, Buffer]>, parent: boolean): void {
  const fd = openSync(file, 'w');
  try {
    files.forEach(([, content], i) => {
      writeSync(fd, `blob\nmark :${i + 1}\ndata ${content.length}\n`);
      writeSync(fd, content);
      writeSync(fd, '\n');
    });
    const lines = [
      'commit refs/heads/main',
      committer,
      'data 9',
      'snapshot',
      ...(parent ? ['from refs/heads/main^0'] : []),
    ];
    files.forEach(([path], i) => lines.push(`M 100644 :${i + 1} ${path}`));
    writeSync(fd, `${lines.join('\n')}\n\n`);
  } finally {
    closeSync(fd);
  }
}

async function fastImport(gitdir: string, files: Array<[string, Buffer]>, parent: boolean): Promise<Timing> {
  const streamFile = join(gitdir, 'bench-stream.fi');
  writeStream(streamFile, files, parent);
  try {
    return await timedProcess(['git', '--git-dir', gitdir, 'fast-import', '--quiet'], { stdinFile: streamFile });
  } finally {
    rmSync(streamFile, { force: true });
  }
}

/** `files` as the first commit of a new bare repository at `gitdir`. */
export async function fastImportInitial(gitdir: string, files: Array<[string, Buffer]>): Promise<Timing> {
  spawnSync('git', ['init', '-q', '--bare', '-b', 'main', gitdir]);
  return fastImport(gitdir, files, false);
}

/** `files` changed on top of refs/heads/main of `gitdir`. */
export function fastImportOnTop(gitdir: string, files: Array<[string, Buffer]>): Promise<Timing> {
  return fastImport(gitdir, files, true);
}

export function treeOf(gitdir: string, rev = 'main'): string {
  return spawnSync('git', ['--git-dir', gitdir, 'rev-parse', `${rev}^{tree}`], { encoding: 'utf8' }).stdout.trim();
}
