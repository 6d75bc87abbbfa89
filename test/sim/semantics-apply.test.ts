import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serverSideApply } from '../../lib/sim/apply.ts';
import { apply, def, fieldsOf, update, type KubeObject } from './semantics-fixtures.ts';

const deployments = def('apps', 'deployments');

function applied(image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'payments', labels: { app: 'api' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [
            {
              name: 'api',
              image,
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
              ports: [{ containerPort: 8080 }],
              ...extra,
            },
          ],
        },
      },
    },
  };
}

const container = (object: KubeObject) => (object.spec as any).template.spec.containers[0];

test('re-applying with a new image by the same manager changes it and keeps the defaults', () => {
  const live = apply(deployments, undefined, applied('api:1'), 'kubectl');
  const next = apply(deployments, live, applied('api:2'), 'kubectl');
  assert.is(container(next).image, 'api:2');
  assert.is(container(next).imagePullPolicy, 'IfNotPresent');
  assert.equal(container(next).ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  assert.equal(fieldsOf(next, 'kubectl'), fieldsOf(live, 'kubectl'));
});

test('a field another manager set is a conflict, unless forced; forcing transfers ownership', () => {
  const live = apply(deployments, undefined, applied('api:1'), 'kubectl');
  const result = serverSideApply({ def: deployments, live, applied: applied('api:2'), manager: 'ci', force: false });
  assert.equal(result, {
    conflicts: [{ manager: 'kubectl', field: '.spec.template.spec.containers[name="api"].image' }],
  });

  const same = serverSideApply({ def: deployments, live, applied: applied('api:1'), manager: 'ci', force: false });
  assert.ok('object' in same, 'applying the same value is shared ownership, not a conflict');

  const forced = apply(deployments, live, applied('api:2'), 'ci', undefined, true);
  assert.is(container(forced).image, 'api:2');
  assert.not.ok(JSON.stringify(fieldsOf(forced, 'kubectl')).includes('f:image'));
  assert.ok(JSON.stringify(fieldsOf(forced, 'ci')).includes('f:image'));
});

test('fields an Update manager changed conflict too (kubectl scale)', () => {
  const live = apply(deployments, undefined, applied('api:1'), 'kubectl');
  const scaledObject = structuredClone(live) as any;
  scaledObject.spec.replicas = 5;
  const scaled = update(deployments, live, scaledObject, 'kubectl', 'scale');
  const result = serverSideApply({
    def: deployments,
    live: scaled,
    applied: applied('api:1'),
    manager: 'kubectl',
    force: false,
  });
  assert.equal(result, { conflicts: [{ manager: 'kubectl', field: '.spec.replicas' }] });
});

test('what the manager no longer applies is removed, unless someone else owns it', () => {
  const live = apply(deployments, undefined, applied('api:1', { args: ['--verbose'] }), 'kubectl');
  const withoutEnv = applied('api:1') as any;
  delete withoutEnv.spec.template.spec.containers[0].env;
  delete withoutEnv.metadata.labels;
  const next = apply(deployments, live, withoutEnv, 'kubectl');
  assert.is(container(next).env, undefined);
  assert.is(container(next).args, undefined);
  assert.is(next.metadata.labels, undefined);
  assert.is(container(next).terminationMessagePath, '/dev/termination-log', 'defaults owned by nobody stay');

  // Another manager's field survives the applier dropping it.
  const edited = structuredClone(live) as any;
  edited.spec.template.spec.containers[0].env.push({ name: 'EXTRA', value: '1' });
  const withEditor = update(deployments, live, edited, 'kubectl-edit');
  const afterDrop = apply(deployments, withEditor, withoutEnv, 'kubectl');
  assert.equal(container(afterDrop).env, [{ name: 'EXTRA', value: '1' }]);
});

test('keyed lists merge by key: a new container is appended, existing ones keep unapplied fields', () => {
  const live = apply(deployments, undefined, applied('api:1'), 'kubectl');
  const two = applied('api:1') as any;
  two.spec.template.spec.containers.push({ name: 'sidecar', image: 'proxy:1' });
  const next = apply(deployments, live, two, 'other-applier');
  const names = (next.spec as any).template.spec.containers.map((c: any) => c.name);
  assert.equal(names, ['api', 'sidecar']);
  assert.equal(container(next).env, [{ name: 'LOG_LEVEL', value: 'info' }]);
  assert.is((next.spec as any).template.spec.containers[1].imagePullPolicy, 'IfNotPresent');
});

test('status in an applied main resource is ignored', () => {
  const withStatus = { ...applied('api:1'), status: { replicas: 99 } };
  const created = apply(deployments, undefined, withStatus, 'kubectl');
  assert.equal(created.status, {});
  assert.not.ok(JSON.stringify(fieldsOf(created, 'kubectl')).includes('f:status'));
});

test.run();
