// `kubectl get … -o yaml | kubesnap neat`: the real kubectl prints the recorded API server objects (as `get`
// prints them), kubesnap neat cleans them exactly as a snapshot stores them (test/fixtures/normalized/objects);
// and a Pod exported before managedFields, read back with `kubectl get pod`, loses its legacy token volume.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { testDigestKey } from '../helpers/digest-key.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { apiserverDir, normalizedDir } from '../normalize/recorded-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubesnap-neat-pipe-'));
const keyFile = join(dir, 'digest-key');
writeFileSync(keyFile, testDigestKey);
let sim: Simulator;

test.before(async () => {
  sim = await startSimulator();
});

test.after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The recorded objects of built-in kinds a snapshot keeps (the CRD's instance needs its CRD served; skipped ones have no expectation). */
function keptBuiltinFixtures(): string[] {
  return readdirSync(`${apiserverDir}objects`)
    .sort()
    .filter((file) => !file.includes('widgets.example.com_'))
    .filter((file) => !readFileSync(expectationOf(file), 'utf8').startsWith('# skipped'));
}

function expectationOf(file: string): string {
  return `${normalizedDir}objects/${file.replace(/\.json$/, '.yaml')}`;
}

test('kubectl -o yaml of the recorded objects | kubesnap neat gives the files a snapshot writes', async () => {
  const files = keptBuiltinFixtures();
  assert.ok(files.length >= 14);
  // --dry-run=client prints the files as `kubectl get -o yaml` prints objects, here one document each.
  const printed = await kubectlOk(sim.kubeconfigPath, [
    'create',
    '--dry-run=client',
    '-o',
    'yaml',
    '--show-managed-fields',
    ...files.flatMap((file) => ['-f', `${apiserverDir}objects/${file}`]),
  ]);
  assert.is(printed.split('\n---\n').length, files.length);
  assert.match(printed, /managedFields:/);
  const result = await runCli(['neat', '--digest-key-file', keyFile], { input: printed, cwd: dir });
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  assert.fixture(result.stdout, files.map((file) => readFileSync(expectationOf(file), 'utf8')).join('---\n'));
});

test("kubectl get pod -o yaml | kubesnap neat: an old export's <sa>-token-xxxxx volume and its mount are gone", async () => {
  // What a 1.20 cluster's admission added to every Pod, as old exports still carry it (kubectl get prints no managedFields).
  const oldExport = `apiVersion: v1
kind: Pod
metadata:
  name: legacy-web
  namespace: default
spec:
  serviceAccountName: builder
  containers:
  - name: web
    image: nginx:1.19
    volumeMounts:
    - name: config
      mountPath: /etc/web
    - name: builder-token-x7k2p
      mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      readOnly: true
  volumes:
  - name: config
    configMap:
      name: web-config
  - name: builder-token-x7k2p
    secret:
      secretName: builder-token-x7k2p
      defaultMode: 420
`;
  await kubectlOk(sim.kubeconfigPath, ['create', '-f', '-'], oldExport);
  const printed = await kubectlOk(sim.kubeconfigPath, ['get', 'pod', 'legacy-web', '-n', 'default', '-o', 'yaml']);
  assert.match(printed, /builder-token-x7k2p/);
  assert.match(printed, /resourceVersion:/);
  const result = await runCli(['neat'], { input: printed, cwd: dir });
  assert.is(result.code, 0, result.stderr);
  assert.fixture(
    result.stdout,
    `apiVersion: v1
kind: Pod
metadata:
  name: legacy-web
  namespace: default
spec:
  containers:
    - image: nginx:1.19
      name: web
      volumeMounts:
        - mountPath: /etc/web
          name: config
  serviceAccountName: builder
  volumes:
    - configMap:
        name: web-config
      name: config
`,
  );
});

test.run();
