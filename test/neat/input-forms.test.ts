// What kubesnap neat reads and how it writes it back: one object (YAML or JSON, from -f FILE, -f - or stdin),
// a List (the API's typed PodList too) → a document per object in YAML, a List in JSON; a `---` stream → the same.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { apiserverDir } from '../normalize/recorded-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubesnap-neat-input-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const recorded = (file: string) => readFileSync(`${apiserverDir}objects/${file}`, 'utf8');
const configMapJson = recorded('shop_configmaps_web-config.json');
const serviceJson = recorded('payments_services_api.json');

const cleaned = new Map<string, string>();

/** kubesnap neat of one recorded object, run once per test file. */
async function neatOnce(json: string): Promise<string> {
  if (!cleaned.has(json)) cleaned.set(json, await neat([], json));
  return cleaned.get(json)!;
}

async function neat(args: string[], input = ''): Promise<string> {
  const result = await runCli(['neat', ...args], { input, cwd: dir });
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  return result.stdout;
}

test('one object, as JSON from -f FILE, as YAML on stdin and from -f -, gives the same YAML', async () => {
  const file = join(dir, 'web-config.json');
  writeFileSync(file, configMapJson);
  const fromFile = await neat(['-f', file]);
  assert.match(
    fromFile,
    /^apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    tier: frontend\n  name: web-config\n  namespace: shop\ndata:\n/,
  );
  assert.not.match(fromFile, /resourceVersion|uid|creationTimestamp|managedFields|---/);
  const yaml = dump(JSON.parse(configMapJson));
  assert.is(await neat([], yaml), fromFile);
  assert.is(await neat(['-f', '-'], yaml), fromFile);
});

test('-o json writes one object as that object', async () => {
  const object = JSON.parse(await neat(['-o', 'json'], configMapJson));
  assert.is(object.kind, 'ConfigMap');
  assert.is(object.metadata.name, 'web-config');
  assert.is(object.metadata.resourceVersion, undefined);
});

test('a List (kubectl get -o json) → a YAML document per item, or a List in JSON', async () => {
  const list = JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items: [JSON.parse(configMapJson), JSON.parse(serviceJson)],
  });
  const yaml = await neat([], list);
  const documents = yaml.split('---\n');
  assert.is(documents.length, 2);
  assert.is(documents[0], await neatOnce(configMapJson));
  assert.is(documents[1], await neatOnce(serviceJson));
  const json = JSON.parse(await neat(['-o', 'json'], list));
  assert.equal(
    [json.apiVersion, json.kind, json.items.map((item: any) => `${item.kind}/${item.metadata.name}`)],
    ['v1', 'List', ['ConfigMap/web-config', 'Service/api']],
  );
});

test("the API's typed list (PodList, items without kind) names its items' kind", async () => {
  const pods = readFileSync(`${apiserverDir}lists/pods.json`, 'utf8');
  const json = JSON.parse(await neat(['-o', 'json'], pods));
  assert.is(json.items.length, 12);
  for (const pod of json.items) {
    assert.is(pod.apiVersion, 'v1');
    assert.is(pod.kind, 'Pod');
    assert.is(pod.status, undefined);
    assert.is(pod.spec.nodeName, undefined);
    assert.not.ok(JSON.stringify(pod).includes('kube-api-access-'));
  }
});

test('a multi-document YAML stream → the same documents, cleaned; empty documents are dropped', async () => {
  const stream = `---\n${dump(JSON.parse(configMapJson))}---\n---\n${dump(JSON.parse(serviceJson))}`;
  assert.is(await neat([], stream), `${await neatOnce(configMapJson)}---\n${await neatOnce(serviceJson)}`);
  const json = JSON.parse(await neat(['-o', 'json'], stream));
  assert.is(json.kind, 'List');
  assert.is(json.items.length, 2);
});

test('an object without managedFields (an old export) is cleaned by the per-kind rules alone', async () => {
  const service = JSON.parse(serviceJson);
  delete service.metadata.managedFields;
  const yaml = await neat([], JSON.stringify(service));
  assert.not.match(yaml, /clusterIP|sessionAffinity: None|internalTrafficPolicy|ipFamilies|status/);
  assert.match(yaml, /^kind: Service$/m);
});

test.run();
