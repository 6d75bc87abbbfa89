// The bundle in dist/ (lib/runtime/build.mjs) and how bin/kubesnap.js chooses between it and the sources. Each
// test works on a copy of the package as `npm ci` leaves it, so it can edit sources and builds freely.
import {
  chmodSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSeededSimulator } from './helpers/cluster.ts';
import { git, run, temporaryDirectory, type ProcessResult } from './helpers/processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const copied = ['package.json', 'tsconfig.json', 'bin', 'cli', 'lib', 'scripts', 'templates'];

type Copy = ReturnType<typeof temporaryDirectory>;

/**
 * Runs `check` on a copy of the package: its files with their times, node_modules linked, and the bundle built
 * as the prepare script does. The copy is removed afterwards (made writable first: a test may have locked it).
 */
async function withInstalledCopy(check: (copy: Copy) => Promise<void>): Promise<void> {
  const copy = temporaryDirectory('kubesnap-build-');
  try {
    for (const path of copied)
      cpSync(join(root, path), join(copy.path, path), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(root, 'node_modules'), join(copy.path, 'node_modules'));
    const prepare = await run(process.execPath, [join(copy.path, 'scripts/build.mjs')]);
    assert.is(prepare.code, 0, prepare.stderr);
    await check(copy);
  } finally {
    await run('chmod', ['-R', 'u+w', copy.path]);
    copy.remove();
  }
}

/** The copy's bin, saying on stderr which code it ran (KUBESNAP_DEBUG). `program` runs it as someone else. */
function kubesnap(copy: Copy, args: string[], program: string[] = []): Promise<ProcessResult> {
  const [command, ...prefix] = [...program, process.execPath];
  return run(command, [...prefix, join(copy.path, 'bin/kubesnap.js'), ...args], {
    cwd: copy.path,
    env: { KUBESNAP_DEBUG: '1', NO_COLOR: '1' },
  });
}

/** The build a run used, by the line bin writes: `running dist/<id>/main.mjs` or `built and running …`. */
function buildUsed(result: ProcessResult): { id: string; built: boolean } {
  const match = /^kubesnap: (built and )?running dist\/([0-9a-f]+)\/main\.mjs$/m.exec(result.stderr);
  assert.ok(match, `bin ran a bundle: ${result.stderr}`);
  return { id: match[2], built: Boolean(match[1]) };
}

function buildFolders(copy: Copy): string[] {
  return readdirSync(join(copy.path, 'dist')).sort();
}

/** Changes the --help text of the version flag: a source edit whose effect is visible. */
function editHelpText(copy: Copy, text: string): void {
  const file = join(copy.path, 'cli/main.ts');
  const source = readFileSync(file, 'utf8');
  assert.ok(source.includes("'print the version'"));
  writeFileSync(file, source.replace("'print the version'", `'${text}'`));
}

test('the bundle npm ci built takes a snapshot of the simulator end to end, page workers included', () =>
  withInstalledCopy(async (copy) => {
    const repo = temporaryDirectory();
    const sim = await startSeededSimulator();
    try {
      // A collection big enough (5,000 objects or more) for its pages after the first to go to page workers, and
      // pages big enough (128 KB or more) for the rest to be deflated on a pack-entry thread: both from the bundle.
      sim.seedYaml(
        Array.from(
          { length: 5_300 },
          (_, i) =>
            `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bulk-${i}\n  namespace: shop\ndata:\n  payload: "${'x'.repeat(600)}"\n`,
        ).join('---\n'),
      );
      const result = await kubesnap(copy, ['--kubeconfig', sim.kubeconfigPath, '--repo', repo.path, 'snapshot']);
      assert.is(result.code, 0, result.stderr);
      assert.equal(buildUsed(result).built, false);
      assert.match(result.stdout, /^snapshot: \d+ created, 0 updated, 0 deleted/m);
      const files = (await git(repo.path, 'ls-tree', '-r', '--name-only', 'HEAD')).split('\n');
      assert.ok(files.includes('shop/configmaps/bulk-5299.yaml'));
      assert.ok(files.includes('shop/deployments.apps/web.yaml'));
      const bundled = readdirSync(join(copy.path, 'dist', buildFolders(copy)[0]));
      for (const worker of readdirSync(join(copy.path, 'lib'), { recursive: true }) as string[]) {
        if (!worker.endsWith('.worker.ts')) continue;
        const name = worker.slice(worker.lastIndexOf('/') + 1).replace(/\.ts$/, '.mjs');
        assert.ok(bundled.includes(name), `${name} is bundled`);
      }
    } finally {
      await sim.stop();
      repo.remove();
    }
  }));

test('a source edited after the build: bin builds again and runs the edited code, then runs that build', () =>
  withInstalledCopy(async (copy) => {
    const [installed] = buildFolders(copy);
    editHelpText(copy, 'print the version (edited)');
    const first = await kubesnap(copy, ['--help']);
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stdout, /print the version \(edited\)/);
    const rebuilt = buildUsed(first);
    assert.ok(rebuilt.built && rebuilt.id !== installed);
    const second = await kubesnap(copy, ['--help']);
    assert.equal(buildUsed(second), { id: rebuilt.id, built: false });
  }));

test('a source touched newer than the bundle, or changed and dated back to before it (as cp -p or tar do), is never run stale', () =>
  withInstalledCopy(async (copy) => {
    const [installed] = buildFolders(copy);
    const now = new Date();
    utimesSync(join(copy.path, 'lib/errors/index.ts'), now, now);
    const afterTouch = await kubesnap(copy, ['--version']);
    assert.is(afterTouch.code, 0, afterTouch.stderr);
    assert.ok(buildUsed(afterTouch).id !== installed, 'a touched source is a new build');

    editHelpText(copy, 'PRINT the version');
    const longAgo = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(copy.path, 'cli/main.ts'), longAgo, longAgo);
    const afterEdit = await kubesnap(copy, ['--help']);
    assert.match(afterEdit.stdout, /PRINT the version/);
  }));

test('a worker added to lib/ after the build gets a bundle of its own; two workers of one name make bin run the sources', () =>
  withInstalledCopy(async (copy) => {
    const worker = "import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage('ready');\n";
    mkdirSync(join(copy.path, 'lib/probe'));
    writeFileSync(join(copy.path, 'lib/probe/probe.worker.ts'), worker);
    const added = await kubesnap(copy, ['--version']);
    assert.is(added.code, 0, added.stderr);
    assert.ok(readdirSync(join(copy.path, 'dist', buildUsed(added).id)).includes('probe.worker.mjs'));

    writeFileSync(join(copy.path, 'lib/runtime/probe.worker.ts'), worker);
    const clash = await kubesnap(copy, ['--version']);
    assert.is(clash.code, 0, clash.stderr);
    assert.match(
      clash.stderr,
      /running the sources through tsx: no bundle of them could be built \(two workers are named probe\.worker\.ts/,
    );
    assert.match(clash.stdout, /^\d+\.\d+\.\d+/);
  }));

test('two processes started together after an edit both run the edited code, from one build folder', () =>
  withInstalledCopy(async (copy) => {
    editHelpText(copy, 'print the version (edited)');
    const results = await Promise.all([kubesnap(copy, ['--help']), kubesnap(copy, ['--help'])]);
    for (const result of results) {
      assert.is(result.code, 0, result.stderr);
      assert.match(result.stdout, /print the version \(edited\)/);
    }
    assert.is(buildUsed(results[0]).id, buildUsed(results[1]).id);
    assert.is(buildFolders(copy).length, 2, 'the installed build and the new one, no staging folder left');
  }));

test('an install nobody may write to: edited sources run through tsx', () =>
  withInstalledCopy(async (copy) => {
    editHelpText(copy, 'print the version (edited)');
    // Readable by all (mkdtemp made the folder private), writable by none; root writes anyway, so root runs it as nobody.
    chmodSync(copy.path, 0o755);
    await run('chmod', ['-R', 'a-w', copy.path]);
    const asSomeoneElse =
      process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const result = await kubesnap(copy, ['--help'], asSomeoneElse);
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, /print the version \(edited\)/);
    assert.match(result.stderr, /running the sources through tsx: no bundle of them could be built/);
  }));

test.run();
