import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { refusedUpdate } from '../../lib/remote/refusal.ts';

const where = 'Pushing to https://git.example/history.git failed';

test('reasons that mean the branch moved under the push are rejections, to fetch, merge and push again', () => {
  for (const reason of [
    'non-fast-forward',
    'fetch first',
    'stale info',
    'failed to lock',
    'failed to update ref',
    "cannot lock ref 'refs/heads/main'",
    'incorrect old value provided',
  ]) {
    const error = refusedUpdate(where, 'main', reason, []);
    assert.is(error.failure, 'rejected', reason);
    assert.is(error.remoteMessage, undefined);
  }
});

test('a hook or policy refusal keeps the remote\'s own lines, without the "remote:" prefix, padding and progress', () => {
  const error = refusedUpdate(where, 'main', 'protected branch hook declined', [
    'remote: error: GH006: Protected branch update failed for refs/heads/main.        ',
    'remote: Resolving deltas: 100% (3/3), done.',
    'remote: ',
    'remote: error: Changes must be made through a pull request.\n',
  ]);
  assert.is(error.failure, 'declined');
  assert.is(
    error.remoteMessage,
    'error: GH006: Protected branch update failed for refs/heads/main.; error: Changes must be made through a pull request. (protected branch hook declined)',
  );
  assert.is(error.message, `${where}: the remote refused the update of main: ${error.remoteMessage}.`);
});

test('a refusal without any line from the remote is its reason alone', () => {
  const error = refusedUpdate(where, 'main', 'pre-receive hook declined', []);
  assert.is(error.failure, 'declined');
  assert.is(error.remoteMessage, 'pre-receive hook declined');
});

test.run();
