import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createLogger } from '../../lib/log/index.ts';
import {
  createGitBackend,
  RemoteError,
  RemoteSync,
  type GitBackendKind,
  type GitCredentials,
  type RemoteSyncOptions,
} from '../../lib/remote/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { git, run, temporaryDirectory } from '../helpers/processes.ts';
import {
  createBareRemote,
  installRefusingHook,
  startGitHttpServer,
  startSshServer,
  type GitHttpServer,
  type SshServer,
} from './git-servers.ts';

const TOKEN = 'tok-3f9a1c77e2b4d5';
const credentials: GitCredentials = { username: 'kubesnap', token: TOKEN };
const author = { name: 'kubesnap test', email: 'test@kubesnap.invalid' };

interface Case {
  name: string;
  kind: GitBackendKind;
  url: (repository: string) => string;
  credentials?: GitCredentials;
  env?: NodeJS.ProcessEnv;
}

const tmp = temporaryDirectory('kubesnap-remote-');
const served = join(tmp.path, 'served');
let httpServer: GitHttpServer;
let sshServer: SshServer;

function syncFor(
  repository: SnapshotRepository,
  c: Case,
  url: string,
  prefix?: string,
  creds = c.credentials,
  extra: Partial<RemoteSyncOptions> = {},
): RemoteSync {
  const backend = createGitBackend(c.kind, {
    dir: repository.dir,
    gitdir: repository.gitdir,
    url,
    localBranch: repository.branch,
    remoteBranch: 'main',
    credentials: creds,
    env: { ...process.env, ...c.env },
  });
  return new RemoteSync({ repository, backend, prefix, author, ...extra });
}

const allCases: Case[] = [
  { name: 'isomorphic-git over HTTP', kind: 'isomorphic', url: (r) => httpServer.url(r), credentials },
  { name: 'native git over HTTP', kind: 'native', url: (r) => httpServer.url(r), credentials },
  {
    name: 'native git over SSH',
    kind: 'native',
    url: (r) => sshServer.url(join(served, r)),
    get env() {
      return sshServer.env;
    },
  },
];

/**
 * One test body for every backend: write through the store, push to an empty remote, push incrementally, fetch
 * into a second repository and read its trees, blobs and log, merge when the remote moved on, refuse a wrong token.
 * `transport` picks the cases, so each test file stays short: HTTP (both backends) or SSH (native).
 */
export function runBackendSuite(transport: 'HTTP' | 'SSH'): void {
  const cases = allCases.filter((c) => c.name.endsWith(transport));
  const test = suite(`git backends over ${transport}`);
  test.before(async () => {
    if (transport === 'HTTP') httpServer = await startGitHttpServer(served, TOKEN);
    else sshServer = await startSshServer(join(tmp.path, 'ssh'));
  });

  test.after(async () => {
    await httpServer?.stop();
    await sshServer?.stop();
    tmp.remove();
  });

  for (const c of cases) {
    test(`${c.name}: first push to an empty remote, incremental pushes, fetch into a new repository, read trees, blobs and log`, async () => {
      const name = `${c.kind}-${c.name.split(' ').pop()}-roundtrip.git`;
      const remotePath = await createBareRemote(served, name);
      const url = c.url(name);
      const local = await SnapshotRepository.open(join(tmp.path, `${name}-a`));
      const a = syncFor(local, c, url, 'clusters/a');
      await a.start();
      assert.is(a.status().unpushedCommits, 0);
      await local.commitChanges([{ path: 'clusters/a/shop/configmaps/web.yaml', content: 'a: 1\n' }], {
        message: 'first',
        author,
      });
      assert.is(a.status().unpushedCommits, 0, 'status is refreshed by push/start');
      await a.push();
      assert.is((await git(remotePath, 'rev-parse', 'main')).trim(), await local.head());
      for (let i = 2; i <= 3; i++) {
        await local.commitChanges([{ path: `clusters/a/shop/configmaps/c${i}.yaml`, content: `n: ${i}\n` }], {
          message: `commit ${i}`,
          author,
        });
        await a.push();
      }
      assert.is((await git(remotePath, 'rev-parse', 'main')).trim(), await local.head());
      assert.is(a.status().unpushedCommits, 0);
      assert.ok(a.status().lastPushAt);
      await git(remotePath, 'fsck', '--strict', '--no-dangling');

      const other = await SnapshotRepository.open(join(tmp.path, `${name}-b`));
      const b = syncFor(other, c, url, 'clusters/b');
      await b.start();
      assert.is(await other.head(), await local.head(), 'an empty local branch fast-forwards to the remote');
      assert.equal([...(await other.readFiles())], [...(await local.readFiles())]);
      assert.is((await other.readFile('HEAD', 'clusters/a/shop/configmaps/c3.yaml'))?.toString(), 'n: 3\n');
      assert.equal(
        (await other.log()).map((e) => e.message.trim()),
        ['commit 3', 'commit 2', 'first'],
      );

      // Both write under their own prefix; each push after the other's is a rejection answered by fetch + merge.
      await other.commitChanges([{ path: 'clusters/b/x/configmaps/b.yaml', content: 'b: 1\n' }], {
        message: 'from b',
        author,
      });
      await b.push();
      await local.commitChanges([{ path: 'clusters/a/shop/configmaps/web.yaml', content: 'a: 2\n' }], {
        message: 'a again',
        author,
      });
      const remoteBefore = (await git(remotePath, 'rev-parse', 'main')).trim();
      await a.push();
      const remoteAfter = (await git(remotePath, 'rev-parse', 'main')).trim();
      assert.is(remoteAfter, await local.head());
      assert.is(
        (await run('git', ['-C', remotePath, 'merge-base', '--is-ancestor', remoteBefore, remoteAfter])).code,
        0,
        'no force push',
      );
      const files = (await git(remotePath, 'ls-tree', '-r', '--name-only', 'main')).trim().split('\n');
      assert.ok(files.includes('clusters/b/x/configmaps/b.yaml'), files.join(','));
      assert.is(await git(remotePath, 'show', 'main:clusters/a/shop/configmaps/web.yaml'), 'a: 2\n');
      await git(remotePath, 'fsck', '--strict', '--no-dangling');

      const grep = await run('grep', ['-r', '-l', TOKEN, local.gitdir, other.gitdir]);
      assert.is(grep.stdout, '', 'the token is nowhere on disk');
    });

    test(`${c.name}: a pre-receive hook's refusal is logged once with its message, pushed once per push interval, never merged; not ready until the hook is gone`, async () => {
      const name = `${c.kind}-${transport}-refusing-hook.git`;
      const remotePath = await createBareRemote(served, name);
      const hook = installRefusingHook(remotePath, [
        'policy: commits to main need a ticket number',
        'policy: ask #platform for an exception',
      ]);
      const repository = await SnapshotRepository.open(join(tmp.path, `${name}-a`));
      const log: string[] = [];
      const logger = createLogger({ stream: { write: (line: string) => log.push(line) } });
      const sync = syncFor(repository, c, c.url(name), undefined, c.credentials, { logger, pushIntervalMs: 300 });
      await sync.start();
      await repository.commitChanges([{ path: 'shop/configmaps/web.yaml', content: 'a: 1\n' }], {
        message: 'first',
        author,
      });
      sync.requestPush();
      // Backing off from 300 ms, the fourth push comes 1.2 s after the third: the counts below are read between them.
      await eventually(() => sync.status().pushFailures === 3, 60_000, 'three refused pushes');
      assert.is(
        hook.runs(),
        3,
        'each scheduled push is one push to the remote, never a round of fetch, merge and push again',
      );
      const message =
        'policy: commits to main need a ticket number; policy: ask #platform for an exception (pre-receive hook declined)';
      assert.equal(sync.check(), { ready: false, detail: `push rejected by the remote: ${message}` });
      const mentions = log.filter((line) => line.includes('policy:'));
      assert.is(mentions.length, 1, log.join(''));
      assert.ok(mentions[0].startsWith('error: ') && mentions[0].includes(message), mentions[0]);
      assert.is(
        (await git(repository.gitdir, 'rev-list', '--merges', '--count', 'main')).trim(),
        '0',
        'no merge commits',
      );

      hook.remove();
      await eventually(() => sync.status().unpushedCommits === 0, 30_000, 'the push after the hook was removed');
      assert.is((await git(remotePath, 'rev-parse', 'main')).trim(), await repository.head());
      assert.equal(sync.check(), { ready: true, detail: 'ok' });
      await sync.stop();
    });

    if (c.credentials) {
      test(`${c.name}: a wrong token is one sentence naming the cause, without the token or the URL's userinfo`, async () => {
        const name = `${c.kind}-wrong-token.git`;
        await createBareRemote(served, name);
        const repository = await SnapshotRepository.open(join(tmp.path, `${name}-a`));
        const wrong = 'wrong-4d1e8a9b0c';
        const sync = syncFor(repository, c, c.url(name).replace('http://', 'http://user:hunter2@'), undefined, {
          username: 'kubesnap',
          token: wrong,
        });
        await repository.commitChanges([{ path: 'a.yaml', content: 'a\n' }], { message: 'a', author });
        try {
          await sync.push();
          assert.unreachable('push succeeded');
        } catch (error) {
          assert.instance(error, RemoteError);
          const message = (error as Error).message;
          assert.is((error as RemoteError).failure, 'auth', message);
          assert.match(message, /refused the credentials/);
          assert.not.match(message, new RegExp(`${wrong}|hunter2`));
        }
        assert.is(sync.status().unpushedCommits, 1);
        assert.is(sync.status().pushFailures, 1);
      });
    }
  }
  test.run();
}
