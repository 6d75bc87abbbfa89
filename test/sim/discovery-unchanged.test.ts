// The discovery the simulator serves is the one recorded before its built-in resources became data
// (lib/sim/builtin-resources.json): `kubectl api-resources -o wide` prints the same table, and every legacy
// discovery document (/apis and each group version's resource list) has the same bytes.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { call } from './http.ts';

const RECORDED = new URL('../fixtures/sim-discovery/', import.meta.url);
const recorded = (name: string): string => readFileSync(new URL(name, RECORDED), 'utf8');

let sim: Simulator;

test.before(async () => {
  sim = await startSimulator();
});

test.after(async () => {
  await sim.stop();
});

test('kubectl api-resources -o wide prints the recorded table', async () => {
  assert.fixture(
    await kubectlOk(sim.kubeconfigPath, ['api-resources', '-o', 'wide']),
    recorded('api-resources-wide.txt'),
  );
});

test('/apis and every group version serve the recorded documents, byte for byte', async () => {
  const groups = (await call(sim, 'GET', '/apis')).json.groups as Array<{ versions: Array<{ groupVersion: string }> }>;
  const paths = ['/api/v1', '/apis', ...groups.flatMap((g) => g.versions.map((v) => `/apis/${v.groupVersion}`))];
  const lines: string[] = [];
  for (const path of paths) lines.push(`${path} ${(await call(sim, 'GET', path)).text}`);
  assert.fixture(`${lines.join('\n')}\n`, recorded('group-versions.txt'));
});

test.run();
