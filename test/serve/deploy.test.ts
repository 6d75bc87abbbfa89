// `serve` beside `watch`: the kustomize component (rendered by kubectl's built-in kustomize from an overlay) and the
// chart's serve.enabled add the same read-only container on the pod's loopback; without them there is none.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run, temporaryDirectory } from '../helpers/processes.ts';
import { renderChartTemplate } from '../deploy/chart-render.ts';

const deployDir = new URL('../../templates/deploy/', import.meta.url).pathname;
type Manifest = { kind: string; spec: any };

async function kustomizeWithServe(): Promise<Manifest[]> {
  const overlay = temporaryDirectory('kubesnap-serve-overlay-');
  try {
    const base = relative(overlay.path, deployDir);
    writeFileSync(
      join(overlay.path, 'kustomization.yaml'),
      `resources:\n  - ${base}\ncomponents:\n  - ${join(base, 'components/serve')}\n`,
    );
    const result = await run('/usr/bin/kubectl', ['kustomize', overlay.path]);
    assert.is(result.code, 0, result.stderr);
    return loadAll(result.stdout) as Manifest[];
  } finally {
    overlay.remove();
  }
}

const containers = (deployment: Manifest | undefined) => deployment!.spec.template.spec.containers as any[];

function assertServeContainer(container: any): void {
  assert.ok(container, 'a serve container');
  assert.equal(container.args.slice(0, 3), ['serve', '--listen', '127.0.0.1:8080']);
  assert.ok(container.args.includes('/data/repo'));
  assert.equal(
    container.volumeMounts.find((mount: any) => mount.name === 'data'),
    { name: 'data', mountPath: '/data', readOnly: true },
  );
  assert.is(container.securityContext.readOnlyRootFilesystem, true);
  assert.is(container.ports, undefined, 'reached with port-forward only');
}

test('the kustomize component adds serve beside watch, read-only, on loopback', async () => {
  const deployment = (await kustomizeWithServe()).find((manifest) => manifest.kind === 'Deployment');
  assert.equal(
    containers(deployment)
      .map((container) => container.name)
      .sort(),
    ['kubesnap', 'serve'],
  );
  assertServeContainer(containers(deployment).find((container) => container.name === 'serve'));
});

test('the chart: serve.enabled adds the same container; off by default', () => {
  const [plain] = renderChartTemplate('deployment.yaml');
  assert.equal(
    containers(plain).map((container) => container.name),
    ['kubesnap'],
  );
  const [served] = renderChartTemplate('deployment.yaml', { values: { serve: { enabled: true } } });
  assertServeContainer(containers(served).find((container) => container.name === 'serve'));
});

test.run();
