// A child process of lock-race.test.ts: at the instant the parent names, tries to take the repository lock and
// says whether it got it; holds it until told to release. Not a test file of its own.
import { hostname } from 'node:os';
import { acquireLock } from '../../lib/store/index.ts';

interface Go {
  round: number;
  gitdir: string;
  at: number;
}

let held: { release(): Promise<void> } | undefined;

process.on('message', async (message: Go | { release: number }) => {
  if ('release' in message) {
    await held?.release();
    held = undefined;
    process.send!({ released: message.release });
    return;
  }
  while (Date.now() < message.at) {
    // spin: both racers start within a fraction of a millisecond
  }
  try {
    held = await acquireLock(message.gitdir, { pid: process.pid, host: hostname(), command: 'kubesnap watch' });
    process.send!({ round: message.round, won: true });
  } catch (error) {
    process.send!({ round: message.round, won: false, error: (error as Error).name });
  }
});
process.send!({ ready: true });
