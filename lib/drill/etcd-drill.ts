import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { systemClock, type Clock } from '../health/index.ts';
import { checkSnapshotFile, findSnapshots, type SnapshotCheck } from '../etcd/index.ts';
import type { DrillPart } from './types.ts';

export interface EtcdDrillOptions {
  /** The snapshot file; else the newest snapshot in `dir` (as `kubesnap etcd list --dir` lists them). */
  snapshot?: string;
  dir?: string;
  /** How long the throwaway etcd may take to answer; default 30 s. */
  startTimeoutMs?: number;
  /** PATH to look for the etcd tools on; default the process's. */
  path?: string;
  /** Where the wait for the throwaway etcd reads the time and waits between tries; default the system's. */
  clock?: Clock;
}

const MEMBER = 'kubesnap-drill';

/**
 * Restores an etcd snapshot the way it would be restored on a control-plane node (`etcdutl snapshot restore`, or
 * `etcdctl snapshot restore` where only etcd 3.4's tools are installed, as Debian's are) into a temporary data
 * directory, starts a throwaway etcd on loopback on it, and checks that it serves the snapshot's revision.
 */
export async function drillEtcd(options: EtcdDrillOptions): Promise<DrillPart> {
  const file = options.snapshot ?? (await findSnapshots(options.dir!))[0]?.file;
  if (!file) return failed(`there is no snapshot in ${options.dir} to restore.`, []);
  const check = await checkSnapshotFile(file);
  if (check.problems.length > 0)
    return failed(`${file} is not a whole snapshot, so it cannot be restored.`, check.problems);
  const restoreTool = findProgram('etcdutl', options.path) ?? findProgram('etcdctl', options.path);
  const server = findProgram('etcd', options.path);
  if (!restoreTool || !server) {
    const missing = [restoreTool ? [] : ['etcdutl (or etcdctl)'], server ? [] : ['etcd']].flat().join(' and ');
    return failed(
      `the etcd tools are missing (${missing} not found on PATH): ${file} was checked (revision ${check.revision}, ${check.totalKeys} keys) but not restored.`,
      [],
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'kubesnap-etcd-drill-'));
  try {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const dataDir = join(work, 'data');
    await run(restoreTool, [
      'snapshot',
      'restore',
      file,
      '--data-dir',
      dataDir,
      '--name',
      MEMBER,
      '--initial-cluster',
      `${MEMBER}=${peerUrl}`,
      '--initial-advertise-peer-urls',
      peerUrl,
      ...(check.etcdHashAppended ? [] : ['--skip-hash-check']),
    ]);
    return await serveAndCheck(server, { dataDir, clientUrl: `http://127.0.0.1:${clientPort}`, peerUrl }, check, {
      timeoutMs: options.startTimeoutMs ?? 30_000,
      clock: options.clock ?? systemClock,
    });
  } catch (error) {
    return failed(`restoring ${file} failed: ${(error as Error).message}`, []);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function serveAndCheck(
  etcd: string,
  member: { dataDir: string; clientUrl: string; peerUrl: string },
  check: SnapshotCheck,
  wait: { timeoutMs: number; clock: Clock },
): Promise<DrillPart> {
  const child = spawn(
    etcd,
    [
      '--name',
      MEMBER,
      '--data-dir',
      member.dataDir,
      '--listen-client-urls',
      member.clientUrl,
      '--advertise-client-urls',
      member.clientUrl,
      '--listen-peer-urls',
      member.peerUrl,
      '--initial-advertise-peer-urls',
      member.peerUrl,
      '--initial-cluster',
      `${MEMBER}=${member.peerUrl}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-2000)));
  try {
    const served = await servedState(member.clientUrl, child, wait);
    if (!served)
      return failed(`the restored etcd did not answer within ${wait.timeoutMs / 1000} s: ${lastLine(log)}`, []);
    const problems =
      served.revision === check.revision
        ? []
        : [`the restored etcd serves revision ${served.revision}, the snapshot recorded ${check.revision}`];
    if (check.totalKeys > 0 && served.keys === 0) problems.push('the restored etcd serves no keys');
    const summary = `${check.file} restored into a throwaway etcd, which serves revision ${served.revision} and ${served.keys} keys`;
    return problems.length
      ? failed(`${summary}, not what the snapshot recorded.`, problems)
      : { part: 'etcd', status: 'passed', summary: `${summary}, as the snapshot recorded.`, problems: [], notes: [] };
  } finally {
    await stop(child);
  }
}

/** The revision and live key count the member serves, through etcd's JSON gateway; undefined when it never answers. */
async function servedState(
  clientUrl: string,
  child: ChildProcess,
  { timeoutMs, clock }: { timeoutMs: number; clock: Clock },
): Promise<{ revision: number; keys: number } | undefined> {
  const everyKey = {
    key: Buffer.from([0]).toString('base64'),
    range_end: Buffer.from([0]).toString('base64'),
    count_only: true,
  };
  for (const deadline = clock.now() + timeoutMs; clock.now() < deadline && child.exitCode === null; ) {
    try {
      const response = await fetch(`${clientUrl}/v3/kv/range`, {
        method: 'POST',
        body: JSON.stringify(everyKey),
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok) {
        const body = (await response.json()) as { header?: { revision?: string }; count?: string };
        return { revision: Number(body.header?.revision ?? 0), keys: Number(body.count ?? 0) };
      }
    } catch {
      // Not listening yet.
    }
    await clock.sleep(200);
  }
  return undefined;
}

function failed(summary: string, problems: string[]): DrillPart {
  return { part: 'etcd', status: 'failed', summary, problems, notes: [] };
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? 'no output';
}

export function findProgram(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

async function run(program: string, args: string[]): Promise<void> {
  const child = spawn(program, args, {
    env: { ...process.env, ETCDCTL_API: '3' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${program} snapshot restore exited with ${code}: ${lastLine(stderr)}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
