// A rotated token file (a pod's service-account token, a kubeconfig tokenFile) is read again, at most once a minute.
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenFile } from '../../lib/kube/token-file.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const tmp = temporaryDirectory('kubesnap-token-file-');
const realNow = Date.now;
let clock = realNow();

test.before.each(() => {
  Date.now = () => clock;
});
test.after.each(() => {
  Date.now = realNow;
});
test.after(() => tmp.remove());

function rewrite(file: string, token: string, secondsLater: number): void {
  writeFileSync(file, `${token}\n`);
  const at = new Date(clock + secondsLater * 1000);
  utimesSync(file, at, at);
}

test('the Authorization header follows the file once a minute has passed, and keeps the last token when it goes', () => {
  const file = join(tmp.path, 'token');
  rewrite(file, 'first', 0);
  const headers = new TokenFile(file, 'the token file').headers();
  assert.is(headers.Authorization, 'Bearer first');
  rewrite(file, 'second', 1);
  clock += 30_000;
  assert.is(headers.Authorization, 'Bearer first', 'not checked again within the minute');
  clock += 31_000;
  assert.is(headers.Authorization, 'Bearer second');
  rmSync(file);
  clock += 61_000;
  assert.is(headers.Authorization, 'Bearer second');
});

test('a first read that fails is one sentence naming the file', () => {
  const empty = join(tmp.path, 'empty');
  writeFileSync(empty, '\n');
  assert.throws(
    () => new TokenFile(empty, 'the token file').headers(),
    (error: Error) => error.message === `the token file ${empty} is empty.`,
  );
  const missing = join(tmp.path, 'missing');
  assert.throws(
    () => new TokenFile(missing, 'the service account token').value(),
    (error: Error) => error.message === `the service account token ${missing} cannot be read: ENOENT.`,
  );
});

test.run();
