// The set-up most integration suites share: a simulator (seeded with test/fixtures/cluster unless asked not to)
// and a temporary folder in the suite's context, made before its first test, stopped and removed after it all.
import { suite, type Test } from 'uvu';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { startSeededSimulator } from './cluster.ts';
import { temporaryDirectory } from './processes.ts';

export interface SimulatorContext {
  sim: Simulator;
  tmp: { path: string; remove(): void };
}

export interface SimulatorSuiteOptions {
  /** Seed it with test/fixtures/cluster (the default), or start it empty. */
  seeded?: boolean;
  simulator?: Parameters<typeof startSimulator>[0];
  /** The temporary folder's name prefix. */
  prefix?: string;
}

/** A uvu suite whose context has `sim` and `tmp` (and whatever `Extra` the suite's own hooks add). */
export function simulatorSuite<Extra extends object = object>(
  name: string,
  options: SimulatorSuiteOptions = {},
): Test<SimulatorContext & Extra> {
  const tests = suite<SimulatorContext & Extra>(name);
  tests.before(async (context) => {
    context.tmp = temporaryDirectory(options.prefix);
    context.sim = await (options.seeded === false ? startSimulator : startSeededSimulator)(options.simulator);
  });
  // uvu runs after hooks in the order they were added and takes them when the suite runs: added then, this one
  // comes after the suite's own, which may still need the simulator or the folder.
  const run = tests.run;
  tests.run = () => {
    tests.after(async (context) => {
      await context.sim?.stop();
      context.tmp?.remove();
    });
    run();
  };
  return tests;
}
