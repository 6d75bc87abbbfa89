// `npm test` on a machine without the programs the tests run stops before any test, with one sentence naming the
// apt-get line; as root with KUBESNAP_TEST_INSTALL=1 it installs them first (here through a stand-in apt-get).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, temporaryDirectory } from './helpers/processes.ts';

const runner = fileURLToPath(new URL('run.js', import.meta.url));

function runTests(env: NodeJS.ProcessEnv) {
  return run(process.execPath, [runner, 'no-such-test-file'], {
    env: { ...process.env, KUBESNAP_TEST_INSTALL: '', ...env },
  });
}

test('missing Debian packages: one sentence with the apt-get line, exit 1, no test run', async () => {
  const tmp = temporaryDirectory();
  try {
    const result = await runTests({ PATH: tmp.path });
    assert.is(result.code, 1);
    assert.is(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.is(lines.length, 1, result.stderr);
    assert.match(
      lines[0],
      /^The tests cannot run: the Debian packages .* are missing: run `sudo apt-get install [a-z -]*etcd-server etcd-client[a-z -]*`/,
    );
    for (const name of ['git', 'etcd-server', 'etcd-client', 'docker-registry', 'openssl', 'age'])
      assert.match(lines[0], new RegExp(`install[a-z -]* ${name}\\b`));
    assert.not.match(result.stderr, /ENOENT|at /);
  } finally {
    tmp.remove();
  }
});

test('a missing kubectl is named with where to get it', async () => {
  const result = await runTests({ KUBECTL: '/nonexistent/kubectl' });
  assert.is(result.code, 1);
  assert.match(
    result.stderr,
    /^The tests cannot run: kubectl is not at \/nonexistent\/kubectl: install it \(https:\/\/kubernetes\.io\/\S+\) or set KUBECTL to its path\.\n$/,
  );
});

test('as root with KUBESNAP_TEST_INSTALL=1 the missing packages are installed first', async () => {
  if (process.getuid?.() !== 0) return;
  const tmp = temporaryDirectory();
  try {
    // A stand-in apt-get: logs its arguments and "installs" each package's program into the same folder.
    const aptGet = join(tmp.path, 'apt-get');
    writeFileSync(
      aptGet,
      `#!/bin/sh
echo "$@" >> "${tmp.path}/apt.log"
[ "$1" = install ] || exit 0
for program in git etcd etcdctl docker-registry openssl age ssh-keygen; do
  printf '#!/bin/sh\\n' > "${tmp.path}/$program"; /bin/chmod +x "${tmp.path}/$program"
done
`,
    );
    chmodSync(aptGet, 0o755);
    const result = await runTests({ PATH: tmp.path, KUBESNAP_TEST_INSTALL: '1' });
    assert.match(result.stdout, /no test files found/, result.stderr);
    const log = readFileSync(join(tmp.path, 'apt.log'), 'utf8');
    assert.match(
      log,
      /^update -qq\ninstall -y -qq git etcd-server etcd-client docker-registry openssl age openssh-client\n$/,
    );
  } finally {
    tmp.remove();
  }
});

test.run();
