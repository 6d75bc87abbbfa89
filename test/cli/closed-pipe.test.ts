// `kubesnap diff A B | head -1`: the reader closes the pipe after one line; the run ends quietly, exit 0, as git's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeObject } from '../../lib/layout/index.ts';
import { SnapshotRepository, type FileChange } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
const tmp = temporaryDirectory('kubesnap-pipe-');
const test = suite('a closed pipe on stdout');

/** Runs kubesnap with stdout read as `head -1` reads it: the pipe is closed once the first line has arrived. */
function runIntoHead(
  args: string[],
): Promise<{ code: number | null; signal: string | null; firstLine: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: tmp.path,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, firstLine: stdout.split('\n')[0], stderr }));
  });
}

/** Two commits of 3,000 ConfigMaps each, every one changed, and one of 100 lines of 1 KB: far more output than a pipe holds. */
async function bigHistory(): Promise<string> {
  const dir = join(tmp.path, 'repo');
  const repository = await SnapshotRepository.open(dir, { create: true });
  const commit = async (value: string, at: number) => {
    const lines = Array.from({ length: 100 }, (_, line) => `${value}-${line}-${'x'.repeat(1024)}`).join('\n');
    const changes: FileChange[] = [
      {
        path: 'shop/configmaps/big.yaml',
        content: serializeObject({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'big', namespace: 'shop' },
          data: { lines },
        }),
      },
    ];
    for (let i = 0; i < 3000; i++) {
      changes.push({
        path: `shop/configmaps/config-${i}.yaml`,
        content: serializeObject({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `config-${i}`, namespace: 'shop' },
          data: { value },
        }),
      });
    }
    await repository.commitChanges(changes, {
      message: `snapshot ${value}`,
      author: { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: at, timezoneOffset: 0 },
    });
  };
  await commit('one', 1_800_000_000);
  await commit('two', 1_800_000_060);
  return dir;
}

test.after(() => tmp.remove());

test('diff A B | head -1, log -p | head -1, demo | head -1: exit 0, nothing on stderr', async () => {
  const repo = await bigHistory();
  for (const args of [
    ['--repo', repo, 'diff', 'HEAD~1', 'HEAD'],
    ['--repo', repo, 'log', '-p', 'cm/big', '-n', 'shop'],
    ['demo', '--dir', join(tmp.path, 'demo')],
  ]) {
    const result = await runIntoHead(args);
    assert.is(result.stderr, '', args.join(' '));
    assert.is(result.code, 0, args.join(' '));
    assert.ok(result.firstLine.length > 0);
  }
});

test.run();
