// How a watch commit tells a restore's changes from the rest, and how `log` and `serve` read the restorer back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changedBy } from '../../lib/history/changed-by.ts';
import { restoreFieldManager } from '../../lib/history/restore-manager.ts';
import { watchCommitMessage, type ObjectChange } from '../../lib/history/watch-message.ts';

const TIME = '2026-12-07T10:42:07Z';
const byAlice = { manager: restoreFieldManager('alice'), time: TIME };

test('only a restore wrote: a restore commit naming its runner; a deletion beside it claims nothing', () => {
  const changes: ObjectChange[] = [
    { type: 'updated', path: 'shop/deployments.apps/web.yaml', fields: 'spec.replicas 7→2', attribution: byAlice },
    { type: 'deleted', path: 'shop/configmaps/old.yaml', attribution: { manager: 'kubectl-edit', time: TIME } },
  ];
  assert.is(
    watchCommitMessage(changes),
    [
      'restore: 0 created, 1 updated, 1 deleted',
      '',
      'deleted shop/configmaps/old',
      'updated shop/deployments.apps/web  spec.replicas 7→2  by kubesnap-restore (alice) at 10:42:07Z',
      '',
      'Kubesnap-Changed-By: kubesnap-restore (alice)',
      'Kubesnap-Restored-By: alice',
      '',
    ].join('\n'),
  );
});

test('a restore beside another writer: a watch commit, still naming the restorer', () => {
  const message = watchCommitMessage([
    { type: 'updated', path: 'shop/deployments.apps/web.yaml', attribution: byAlice },
    { type: 'updated', path: 'shop/configmaps/web.yaml', attribution: { manager: 'kubectl-edit', time: TIME } },
  ]);
  assert.match(message, /^watch: 0 created, 2 updated, 0 deleted\n/);
  assert.match(message, /\nKubesnap-Changed-By: kubectl-edit\nKubesnap-Changed-By: kubesnap-restore \(alice\)\n/);
  assert.match(message, /\nKubesnap-Restored-By: alice\n$/);
});

test('a restore that named nobody is still a restore; deletions alone are not', () => {
  const anonymous = watchCommitMessage([
    { type: 'created', path: 'shop/configmaps/web.yaml', attribution: { manager: restoreFieldManager(undefined) } },
  ]);
  assert.match(anonymous, /^restore: 1 created/);
  assert.not.match(anonymous, 'Kubesnap-Restored-By');
  assert.match(watchCommitMessage([{ type: 'deleted', path: 'shop/configmaps/web.yaml' }]), /^watch: /);
});

test('log and serve read a manager with spaces back from the body line', () => {
  const message = watchCommitMessage([
    { type: 'updated', path: 'shop/deployments.apps/web.yaml', fields: 'spec.replicas 7→2', attribution: byAlice },
    { type: 'updated', path: 'shop/configmaps/web.yaml', reason: 'why', attribution: byAlice },
  ]);
  assert.is(changedBy(message, { path: 'shop/deployments.apps/web.yaml', deleted: false }), 'kubesnap-restore (alice)');
  assert.is(changedBy(message, { path: 'shop/configmaps/web.yaml', deleted: false }), 'kubesnap-restore (alice)');
  assert.is(changedBy(message), 'kubesnap-restore (alice)');
});

test('the field manager keeps single spaces and printable characters', () => {
  assert.is(restoreFieldManager('  Jane   Doe\n'), 'kubesnap-restore (Jane Doe?)');
  assert.is(restoreFieldManager(' '), 'kubesnap-restore');
});

test.run();
