import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { systemClock } from '../../lib/health/index.ts';
import { createGitBackend, RemoteSync, type GitCredentials } from '../../lib/remote/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { createBareRemote, startGitHttpServer, type GitHttpServer } from './git-servers.ts';

const TOKEN = 'tok-readiness-51c0';
const author = { name: 'kubesnap test', email: 'test@kubesnap.invalid' };
const tmp = temporaryDirectory('kubesnap-remote-readiness-');
const served = join(tmp.path, 'served');
let server: GitHttpServer;

/** A RemoteSync over isomorphic-git with a clock the test moves, and one commit to push. */
async function syncWithCommit(name: string, clock: { now: number }, credentials: GitCredentials): Promise<RemoteSync> {
  await createBareRemote(served, `${name}.git`);
  const repository = await SnapshotRepository.open(join(tmp.path, name));
  await repository.commitChanges([{ path: 'a.yaml', content: 'a: 1\n' }], { message: 'a', author });
  const backend = createGitBackend('isomorphic', {
    dir: repository.dir,
    gitdir: repository.gitdir,
    url: server.url(`${name}.git`),
    localBranch: repository.branch,
    remoteBranch: 'main',
    credentials,
  });
  return new RemoteSync({
    repository,
    backend,
    author,
    notReadyAfterMs: 5 * 60_000,
    clock: { ...systemClock, now: () => clock.now },
  });
}

test.before(async () => {
  server = await startGitHttpServer(served, TOKEN);
});

test.after(async () => {
  await server.stop();
  tmp.remove();
});

test('an unreachable remote is ready (commits waiting) until pushes have failed for the bound, then not, naming how long and why; a push makes it ready', async () => {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const sync = await syncWithCommit('unreachable', clock, { username: 'kubesnap', token: TOKEN });
  await server.stop();
  try {
    await sync.push().catch(() => undefined);
    clock.now += 4 * 60_000;
    await sync.push().catch(() => undefined);
    const early = sync.check();
    assert.ok(early.ready, early.detail);
    assert.match(early.detail, /^1 commit not pushed since .*cannot be reached/);
    clock.now += 61_000;
    const late = sync.check();
    assert.is(late.ready, false);
    assert.match(
      late.detail,
      /^pushes have failed for 5m1s: Pushing to http:\/\/127\.0\.0\.1:\d+\/unreachable\.git failed: the remote cannot be reached \(ECONNREFUSED\)\.$/,
    );
  } finally {
    await server.restart();
  }
  await sync.push();
  assert.equal(sync.check(), { ready: true, detail: 'ok' });
});

test('refused credentials are not ready at once: "authentication failed"', async () => {
  const clock = { now: Date.now() };
  const sync = await syncWithCommit('wrong-token', clock, { username: 'kubesnap', token: 'wrong-9e1f' });
  await sync.push().catch(() => undefined);
  const readiness = sync.check();
  assert.is(readiness.ready, false);
  assert.match(readiness.detail, /^authentication failed: .*refused the credentials/);
  assert.not.match(readiness.detail, /wrong-9e1f/);
});

test.run();
