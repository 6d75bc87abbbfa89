// Input kubesnap neat cannot clean is one sentence on stderr and exit 2: never a stack trace, never partial output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubesnap-neat-bad-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function refused(input: string, args: string[] = []): Promise<string> {
  const result = await runCli(['neat', ...args], { input, cwd: dir, env: { KUBESNAP_DEBUG: '' } });
  assert.is(result.code, 2, result.stderr);
  assert.is(result.stdout, '');
  assert.is(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.not.match(result.stderr, /\bat .*\(|node:internal|Error:/);
  return result.stderr.trimEnd();
}

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: "1"\n';

// A "billion laughs" document: nine levels of nine aliases each would be 9^9 strings once walked.
const aliasBomb = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: bomb}',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefghi'[index];
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
  }),
].join('\n');

test('not YAML or JSON', async () => {
  assert.match(await refused('apiVersion: v1\nkind: [ConfigMap\n'), /^error: The input from stdin is not valid YAML: /);
  assert.match(await refused('{"apiVersion": "v1", "kind": '), /^error: The input from stdin is not valid YAML/);
});

test('not an object: a plain value, a sequence, a mapping without kind, a List item that is no object', async () => {
  assert.match(
    await refused('just some words\n'),
    /^error: The input from stdin is a single value, not a Kubernetes object/,
  );
  assert.match(await refused('- a\n- b\n'), /^error: The input from stdin is a sequence, not a Kubernetes object/);
  assert.match(
    await refused('metadata:\n  name: x\n'),
    /^error: The input from stdin is not a Kubernetes object: it needs apiVersion, kind and metadata\.$/,
  );
  assert.match(await refused(`${configMap}---\n42\n`), /^error: document 2 of the input from stdin is a single value/);
  assert.match(
    await refused('{"apiVersion":"v1","kind":"List","items":[{"kind":"ConfigMap"}]}'),
    /^error: item 1 of the input from stdin is not a Kubernetes object/,
  );
});

test('empty input', async () => {
  assert.match(await refused(''), /^error: The input from stdin holds no object/);
  assert.match(await refused('---\n# nothing\n---\n'), /^error: The input from stdin holds no object/);
});

test('an alias bomb is refused before anything expands it', async () => {
  const started = Date.now();
  assert.match(
    await refused(aliasBomb),
    /^error: The input from stdin uses a YAML alias \(line 5\), which kubesnap never writes: refused/,
  );
  assert.ok(Date.now() - started < 15_000);
});

test('a file that cannot be read', async () => {
  assert.match(
    await refused('', ['-f', join(dir, 'missing.yaml')]),
    /^error: -f .*missing\.yaml cannot be read: ENOENT\.$/,
  );
});

test.run();
