import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import type { Simulator } from '../../lib/sim/index.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { eventually } from '../helpers/cluster.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
/** Runs a command as PID 1 of a new PID namespace with its own /proc, as a container's ENTRYPOINT runs. */
const asPid1 = ['unshare', '--pid', '--fork', '--mount-proc'];
const canRunAsPid1 = process.getuid?.() === 0 && spawnSync(asPid1[0], [...asPid1.slice(1), 'true']).status === 0;

interface RunningWatch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `kubesnap watch` in a process group of its own, so kill -9 reaches it through unshare too. */
function startWatch(sim: Simulator, repo: string, prefix: string[] = []): RunningWatch {
  const command = [
    ...prefix,
    process.execPath,
    bin,
    '--kubeconfig',
    sim.kubeconfigPath,
    '--repo',
    repo,
    'watch',
    '--batch',
    '100ms',
  ];
  const child = spawn(command[0], command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function killGroup(running: RunningWatch, signal: NodeJS.Signals): void {
  try {
    process.kill(-running.child.pid!, signal);
  } catch {
    // already gone
  }
}

async function headOf(repo: string): Promise<string | undefined> {
  return (await git(repo, 'rev-parse', '--verify', '-q', 'refs/heads/main').catch(() => '')).trim() || undefined;
}

function assertRefusedInOneSentence(result: CliResult, holderPid: number) {
  assert.is(result.code, 1, result.stderr);
  assert.match(
    result.stderr.trim(),
    new RegExp(
      `^error: repository is locked by kubesnap watch \\(pid ${holderPid} on host .*\\) since \\S+; stop it or remove \\S+kubesnap\\.lock if it is gone\\.$`,
    ),
  );
  assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
}

const lock = simulatorSuite('the repository lock through the CLI', { simulator: { bookmarkIntervalMs: 500 } });

lock(
  'while a watch runs, a snapshot and a second watch of the same repository are refused in one sentence, exit 1',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'busy');
    const running = startWatch(sim, repo);
    try {
      const head = await eventually(() => headOf(repo), 20_000, 'the watch committing');
      const args = ['--kubeconfig', sim.kubeconfigPath, '--repo', repo];
      assertRefusedInOneSentence(await runCli([...args, 'snapshot']), running.child.pid!);
      assertRefusedInOneSentence(await runCli([...args, 'watch']), running.child.pid!);
      assert.is(await headOf(repo), head);
    } finally {
      killGroup(running, 'SIGTERM');
      assert.is(await running.exited, 0, running.output());
    }
    assert.not.ok(existsSync(join(repo, 'kubesnap.lock')));
  },
);

lock(
  'a watch running as PID 1, killed with -9, restarts as PID 1 and takes its own lock over',
  async ({ sim, tmp }) => {
    if (!canRunAsPid1) {
      console.log('skipped: needs root and unshare(1) to run kubesnap as PID 1 of a PID namespace');
      return;
    }
    const repo = join(tmp.path, 'pid1');
    const first = startWatch(sim, repo, asPid1);
    await eventually(() => headOf(repo), 20_000, 'the first watch committing');
    killGroup(first, 'SIGKILL');
    await first.exited;
    const stale = JSON.parse(readFileSync(join(repo, 'kubesnap.lock'), 'utf8'));
    assert.is(stale.pid, 1);

    const second = startWatch(sim, repo, asPid1);
    try {
      assert.is(
        (
          await kubectl(sim.kubeconfigPath, [
            '-n',
            'shop',
            'create',
            'configmap',
            'after-restart',
            '--from-literal=k=v',
          ])
        ).code,
        0,
      );
      await eventually(
        async () =>
          (await git(repo, 'ls-tree', '-r', '--name-only', 'HEAD').catch(() => '')).includes(
            'shop/configmaps/after-restart.yaml',
          ),
        20_000,
        'the restarted watch committing',
      ).catch((error: Error) => assert.unreachable(`${error.message}; it said: ${second.output()}`));
      const taken = JSON.parse(readFileSync(join(repo, 'kubesnap.lock'), 'utf8'));
      assert.is(taken.pid, 1);
      assert.is.not(taken.startTime, stale.startTime);
    } finally {
      killGroup(second, 'SIGTERM');
      await second.exited;
    }
  },
);

lock.run();
