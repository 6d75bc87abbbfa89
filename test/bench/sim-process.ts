// The simulator in its own process, so the API server's CPU is not charged to the client being measured and its
// heap is not in the client's RSS. Started by sim-server.ts over IPC:
//   → { seeded: { kubeconfigPath, objects, seedMs } }     once listening with the synthetic cluster loaded
//   ← { update: { indexes, revision } }                   rewrites those objects (watch events), → { updated }
//   ← { drive: { rate, durationMs, total } }              rewrites objects at `rate` a second, evenly, each stamped
//                                                         with its write time, → { driven: { writes, elapsedMs } }
import { startSimulator, type KubeObject } from '../../lib/sim/index.ts';
import { clusterObject, clusterObjects } from './cluster-objects.ts';

export const WRITTEN_AT = 'bench.kubesnap.dev/written-at';

const count = Number(process.argv[2]);
const started = performance.now();
const sim = await startSimulator({ seed: clusterObjects(count), historySize: 102_400 });
// Seeding is set-up: its garbage is collected now rather than during the first measured list (~2.7 s at 100k).
gc?.();
process.send!({ seeded: { kubeconfigPath: sim.kubeconfigPath, objects: count, seedMs: performance.now() - started } });

// Writes between two turns of the event loop: a few milliseconds, so the watch stream flows while writing.
const SLICE = 50;

/**
 * Writes `rate` objects a second, evenly: a slice of at most SLICE writes, then a turn of the event loop (a
 * 1 ms timer when the writes are up to date, setImmediate when they are behind). A simulator that cannot keep
 * up falls behind and says so in `writes`; it never catches up in one long burst.
 */
async function drive(rate: number, durationMs: number, total: number): Promise<{ writes: number; elapsedMs: number }> {
  const begin = performance.now();
  let writes = 0;
  for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - begin) {
    const due = Math.floor((elapsed / 1000) * rate);
    const batch = [];
    for (; writes < due && batch.length < SLICE; writes++) batch.push(stampedObject(writes, total));
    if (batch.length > 0) sim.seed(batch);
    await new Promise((resolve) => (writes < due ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
  return { writes, elapsedMs: performance.now() - begin };
}

/** The object of the `write`th rewrite, stamped with the time it is written. */
function stampedObject(write: number, total: number): KubeObject {
  const object = clusterObject((write * 7919) % total, 1 + Math.floor(write / total));
  object.metadata.annotations = { ...object.metadata.annotations, [WRITTEN_AT]: String(Date.now()) };
  return object;
}

process.on('message', (message: any) => {
  if (message.update) {
    const { indexes, revision } = message.update as { indexes: number[]; revision: number };
    sim.seed(indexes.map((i) => clusterObject(i, revision)));
    process.send!({ updated: indexes.length });
  } else if (message.drive) {
    const { rate, durationMs, total } = message.drive as { rate: number; durationMs: number; total: number };
    void drive(rate, durationMs, total).then((driven) => process.send!({ driven }));
  } else if (message.stop) {
    void sim.stop().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
