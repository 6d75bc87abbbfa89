import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDir } from './real-git.ts';

const root = temporaryDir('lock-race');
const ROUNDS = 60;

interface Answer {
  round?: number;
  won?: boolean;
  error?: string;
  released?: number;
  ready?: boolean;
}

function startRacer(): ChildProcess {
  return fork(new URL('./lock-racer.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextAnswer(child: ChildProcess): Promise<Answer> {
  return once(child, 'message').then(([message]) => message as Answer);
}

test(`${ROUNDS} pairs of processes started at the same instant over a stale lock: exactly one of each pair gets it`, async () => {
  const repo = await SnapshotRepository.open(join(root, 'race.git'));
  const lockPath = join(repo.gitdir, 'kubesnap.lock');
  const deadPid = Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
  const racers = [startRacer(), startRacer()];
  try {
    await Promise.all(racers.map(nextAnswer));
    const bothWon: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(
        lockPath,
        JSON.stringify({
          pid: deadPid,
          host: hostname(),
          command: 'kubesnap watch',
          since: '2026-01-01T00:00:00.000Z',
        }),
      );
      const at = Date.now() + 20;
      const answers = racers.map(nextAnswer);
      for (const racer of racers) racer.send({ round, gitdir: repo.gitdir, at });
      const results = await Promise.all(answers);
      const winners = results.flatMap((result, index) => (result.won ? [index] : []));
      for (const result of results) if (!result.won) assert.is(result.error, 'LockedError');
      if (winners.length === 2) bothWon.push(round);
      assert.ok(winners.length >= 1, `round ${round}: nobody got the lock`);
      await Promise.all(
        winners.map((index) => {
          const released = nextAnswer(racers[index]);
          racers[index].send({ release: round });
          return released;
        }),
      );
    }
    assert.equal(bothWon, [], `both processes got the lock in rounds ${bothWon.join(', ')}`);
  } finally {
    for (const racer of racers) racer.kill();
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
