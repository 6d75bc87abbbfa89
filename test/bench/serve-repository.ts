// The repository serve's figures read: `objects` ConfigMaps over 100 namespaces in a first snapshot, then `commits`
// watch-style commits of CHANGES_PER_COMMIT changes each (one manager each, a minute apart). Object i changes at commits i mod (objects / CHANGES_PER_COMMIT), so a few objects have long histories.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { objectPath } from '../../lib/layout/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';

export const CHANGES_PER_COMMIT = 10;
const NAMESPACES = 100;
const START = Date.parse('2026-11-01T00:00:00Z') / 1000;
const MANAGERS = ['kubectl-edit', 'helm', 'argocd-controller', 'kube-controller-manager'];

const identity = (index: number) => ({
  group: '',
  resource: 'configmaps',
  namespace: `ns-${index % NAMESPACES}`,
  name: `config-${index}`,
});

/** The YAML serializeObject writes for these ConfigMaps, written as a template: a million of them must not take minutes. */
function configMap(index: number, version: number): string {
  const { namespace, name } = identity(index);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels:\n    app: app-${index % 50}\ndata:\n  version: '${version}'\n  setting: value-${index}-${version}\n`;
}

export interface ServeBenchRepository {
  repository: SnapshotRepository;
  dir: string;
  /** Every commit, oldest first. */
  commits: string[];
  /** An object changed in many commits. */
  busyObjectPath: string;
}

/** Written with git fast-import (a stream file, then one run): the store's commit path is not what is measured here. */
export async function serveBenchRepository(
  root: string,
  objects: number,
  commits: number,
): Promise<ServeBenchRepository> {
  const dir = join(root, 'serve-repo');
  spawnSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const streamFile = join(root, 'serve-stream.fi');
  const fd = openSync(streamFile, 'w');
  const data = (text: string) => {
    const buffer = Buffer.from(text);
    writeSync(fd, `data ${buffer.length}\n`);
    writeSync(fd, buffer);
    writeSync(fd, '\n');
  };
  const commitHeader = (mark: number, time: number, message: string) => {
    writeSync(
      fd,
      `commit refs/heads/main\nmark :${mark}\nauthor kubesnap <kubesnap@localhost> ${time} +0000\ncommitter kubesnap <kubesnap@localhost> ${time} +0000\n`,
    );
    data(message);
  };
  try {
    commitHeader(1, START, `snapshot: ${objects} created, 0 updated, 0 deleted\n`);
    for (let index = 0; index < objects; index++) {
      writeSync(fd, `M 100644 inline ${objectPath(identity(index))}\n`);
      data(configMap(index, 0));
    }
    const stride = Math.floor(objects / CHANGES_PER_COMMIT);
    for (let commit = 1; commit <= commits; commit++) {
      const manager = MANAGERS[commit % MANAGERS.length];
      const paths: [string, number][] = [];
      for (let change = 0; change < CHANGES_PER_COMMIT; change++) {
        const index = ((commit % stride) + change * stride) % objects;
        paths.push([objectPath(identity(index)), index]);
      }
      const lines = paths.map(
        ([path]) => `updated ${path.replace(/\.yaml$/, '')}  data.version  by ${manager} at 00:00:00Z`,
      );
      commitHeader(
        commit + 1,
        START + commit * 60,
        `watch: 0 created, ${CHANGES_PER_COMMIT} updated, 0 deleted\n\n${lines.join('\n')}\n\nKubesnap-Changed-By: ${manager}\n`,
      );
      for (const [path, index] of paths) {
        writeSync(fd, `M 100644 inline ${path}\n`);
        data(configMap(index, commit));
      }
    }
  } finally {
    closeSync(fd);
  }
  const imported = spawnSync('git', ['--git-dir', dir, 'fast-import', '--quiet'], {
    stdio: [openSync(streamFile, 'r'), 'ignore', 'pipe'],
  });
  rmSync(streamFile, { force: true });
  if (imported.status !== 0) throw new Error(`git fast-import failed: ${imported.stderr}`);
  const ids = spawnSync('git', ['--git-dir', dir, 'rev-list', '--reverse', 'main'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
    .stdout.trim()
    .split('\n');
  const repository = await SnapshotRepository.open(dir, { create: false });
  return { repository, dir, commits: ids, busyObjectPath: objectPath(identity(0)) };
}
