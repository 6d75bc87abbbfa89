// The chart mounts the digest key from a Secret (its own, or one the user names) and points KUBESNAP_DIGEST_KEY_FILE
// at it, so a pod on an emptyDir keeps the key across restarts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderChartTemplate } from '../deploy/chart-render.ts';

function digestKeyOf(values: Record<string, unknown> = {}) {
  const [deployment] = renderChartTemplate('deployment.yaml', { name: 'prod', values });
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  return {
    secretName: pod.volumes.find((volume: any) => volume.name === 'digest-key')?.secret.secretName,
    mount: container.volumeMounts.find((mount: any) => mount.name === 'digest-key'),
    file: container.env.find((variable: any) => variable.name === 'KUBESNAP_DIGEST_KEY_FILE')?.value,
  };
}

test("by default the release's own Secret <fullname>-digest-key, mounted read-only", () => {
  const key = digestKeyOf();
  assert.is(key.secretName, 'prod-kubesnap-digest-key');
  assert.equal(key.mount, { name: 'digest-key', mountPath: '/etc/kubesnap/digest-key', readOnly: true });
  assert.is(key.file, '/etc/kubesnap/digest-key/key');
});

test("digestKey.existingSecret and digestKey.key name the user's Secret and its key", () => {
  const key = digestKeyOf({ digestKey: { existingSecret: 'vault-synced-key', key: 'hmac' } });
  assert.is(key.secretName, 'vault-synced-key');
  assert.is(key.file, '/etc/kubesnap/digest-key/hmac');
});

test.run();
