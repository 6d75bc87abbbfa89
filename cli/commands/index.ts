import type { Command } from 'commander';
import { registerDemoCommand } from './demo.ts';
import { registerDiffCommand } from './diff.ts';
import { registerDrillCommand } from './drill.ts';
import { registerEtcdCommand } from './etcd.ts';
import { registerImagesCommand } from './images.ts';
import { registerLogCommand } from './log.ts';
import { registerNeatCommand } from './neat.ts';
import { registerRestoreCommand } from './restore.ts';
import { registerServeCommand } from './serve.ts';
import { registerShowCommand } from './show.ts';
import { registerSimCommand } from './sim.ts';
import { registerSnapshotCommand } from './snapshot.ts';
import { registerWatchCommand } from './watch.ts';

/**
 * Each command lives in its own file and adds itself to the program here. Every file is loaded on every run
 * (--help lists them all), so each imports at the top only what registering its flags and printing its output
 * need, and loads the rest of lib/ in its action with `await import()`: a chunk of its own in the bundle,
 * read only by the command that runs.
 */
export function registerCommands(program: Command): void {
  registerDemoCommand(program);
  registerDiffCommand(program);
  registerDrillCommand(program);
  registerEtcdCommand(program);
  registerImagesCommand(program);
  registerLogCommand(program);
  registerNeatCommand(program);
  registerRestoreCommand(program);
  registerServeCommand(program);
  registerShowCommand(program);
  registerSimCommand(program);
  registerSnapshotCommand(program);
  registerWatchCommand(program);
}
