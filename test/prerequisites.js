// What the tests run besides Node: real servers and clients on loopback, from Debian packages (and kubectl).
// The one list of them; test/run.js checks it before any test runs, and installs what is missing when asked to.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Debian package → the program the tests run from it (a bare name is looked up on PATH, then in the sbin folders). */
export const debianPackages = {
  git: 'git',
  chromium: '/usr/bin/chromium',
  'etcd-server': 'etcd',
  'etcd-client': 'etcdctl',
  'docker-registry': 'docker-registry',
  openssl: 'openssl',
  age: 'age',
  'openssh-server': '/usr/sbin/sshd',
  'openssh-client': 'ssh-keygen',
};

/** kubectl is not in Debian's archive: the tests run it as $KUBECTL, else /usr/bin/kubectl (test/helpers/kubectl.ts). */
export const kubectlProgram = () => process.env.KUBECTL ?? '/usr/bin/kubectl';
const KUBECTL_INSTALL = 'https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function found(program, env) {
  if (isAbsolute(program)) return isExecutable(program);
  const folders = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].filter(Boolean);
  return folders.some((folder) => isExecutable(join(folder, program)));
}

/** The Debian packages whose program is missing. */
export function missingPackages(env = process.env) {
  return Object.entries(debianPackages)
    .filter(([, program]) => !found(program, env))
    .map(([name]) => name);
}

/** `apt-get install` as root; returns apt's output when it failed. */
function install(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { env, encoding: 'utf8' });
    if (result.status !== 0) return `${result.stderr || result.stdout || result.error?.message || ''}`.trim();
  }
  return undefined;
}

/**
 * Undefined when every program the tests need is there (after installing the missing Debian packages, as root with
 * KUBESNAP_TEST_INSTALL=1); else the one sentence that says what to install.
 */
export function checkPrerequisites(env = process.env) {
  let missing = missingPackages(env);
  if (missing.length && env.KUBESNAP_TEST_INSTALL === '1' && process.getuid?.() === 0) {
    const failure = install(missing);
    if (failure)
      return `installing the Debian packages the tests need failed (apt-get install ${missing.join(' ')}): ${failure.split('\n').pop()}`;
    missing = missingPackages(env);
  }
  const problems = [];
  if (missing.length)
    problems.push(
      `the Debian packages ${missing.join(', ')} are missing: run \`sudo apt-get install ${missing.join(' ')}\` (or, as root, KUBESNAP_TEST_INSTALL=1 npm test)`,
    );
  if (!isExecutable(kubectlProgram()))
    problems.push(`kubectl is not at ${kubectlProgram()}: install it (${KUBECTL_INSTALL}) or set KUBECTL to its path`);
  return problems.length ? `The tests cannot run: ${problems.join('; ')}.` : undefined;
}
