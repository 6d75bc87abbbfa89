// Child process for crash.test.ts: commits to the repository in a loop until it is killed.
// Alternates big commits (a pack) and small ones (loose objects), or with a size, commits that many files each time.
// Not a test file of its own.
import { SnapshotRepository } from '../../lib/store/index.ts';

const [dir, seed, size] = process.argv.slice(2);
const repo = await SnapshotRepository.open(dir);
process.stdout.write('ready\n');
for (let round = 0; ; round++) {
  const count = size ? Number(size) : round % 2 === 0 ? 2000 : 5;
  const changes = Array.from({ length: count }, (_, i) => ({
    path: `ns-${i % 20}/configmaps/c-${i}.yaml`,
    content: `seed: ${seed}\nround: ${round}\ni: ${i}\n`,
  }));
  await repo.commitChanges(changes, { message: `round ${round}`, author: { name: 'loop', email: 'loop@example.com' } });
}
