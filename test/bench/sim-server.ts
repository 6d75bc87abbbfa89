// The parent's handle on sim-process.ts: a simulator with the synthetic cluster, in a child process.
import { fork } from 'node:child_process';

export interface SimServer {
  kubeconfigPath: string;
  seedMs: number;
  /** Rewrites objects `indexes` at `revision`; resolves once the simulator has stored them (events sent). */
  update(indexes: number[], revision: number): Promise<void>;
  /** Rewrites objects at `rate` a second for `durationMs`; resolves with what the simulator managed. */
  drive(rate: number, durationMs: number, total: number): Promise<{ writes: number; elapsedMs: number }>;
  stop(): Promise<void>;
}

/** With BENCH_CPU_PROF=DIR, a child process writes V8 CPU profiles into DIR/NAME when it exits (`node --cpu-prof`). */
export function profilerFlags(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${name}`] : [];
}

export async function startSimServer(objects: number): Promise<SimServer> {
  const child = fork(new URL('./sim-process.ts', import.meta.url).pathname, [String(objects)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096', '--expose-gc', ...profilerFlags('sim')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: any) => {
        if (!(key in message)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message[key]);
      };
      const onExit = (code: number | null) => reject(new Error(`the simulator process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const seeded = await next<{ kubeconfigPath: string; seedMs: number }>('seeded');
  return {
    kubeconfigPath: seeded.kubeconfigPath,
    seedMs: seeded.seedMs,
    async update(indexes, revision) {
      const done = next('updated');
      child.send({ update: { indexes, revision } });
      await done;
    },
    drive(rate, durationMs, total) {
      const done = next<{ writes: number; elapsedMs: number }>('driven');
      child.send({ drive: { rate, durationMs, total } });
      return done;
    },
    async stop() {
      if (child.exitCode === null) child.send({ stop: true });
      await exited;
    },
  };
}
