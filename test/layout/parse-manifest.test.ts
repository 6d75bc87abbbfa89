import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ManifestError,
  ManifestLimitError,
  maxManifestBytes,
  maxManifestDepth,
  parseObject,
} from '../../lib/layout/index.ts';

function refusal(source: Buffer | string, path?: string): ManifestLimitError {
  try {
    parseObject(source, path);
  } catch (error) {
    assert.instance(error, ManifestLimitError);
    return error as ManifestLimitError;
  }
  throw new Error('not refused');
}

test('YAML aliases are refused before anything expands them, naming the file and the line', () => {
  const bomb = ['kind: ConfigMap', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const level of 'bcdefghijklmnop')
    bomb.push(
      `  ${level}: &${level} [${Array(9)
        .fill(`*${String.fromCharCode(level.charCodeAt(0) - 1)}`)
        .join(',')}]`,
    );
  const heap = process.memoryUsage().heapUsed;
  const started = performance.now();
  const error = refusal(bomb.join('\n'), 'shop/configmaps/bomb.yaml');
  assert.ok(performance.now() - started < 50, `${performance.now() - started} ms`);
  assert.ok(process.memoryUsage().heapUsed - heap < 16 * 1024 * 1024);
  assert.is(
    error.message,
    'The manifest shop/configmaps/bomb.yaml uses a YAML alias (line 4), which kubesnap never writes: refused, as an alias can expand to gigabytes.',
  );
  assert.is(error.exitCode, 2);
  // One alias is one too many: kubesnap never writes them.
  assert.match(refusal('a: &x 1\nb: *x\n').message, /^The manifest uses a YAML alias \(line 2\)/);
});

test('nesting deeper than the cap is refused; as deep as the cap is read', () => {
  const nested = (depth: number) => `${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}`;
  assert.ok(parseObject(`a: ${nested(maxManifestDepth - 1)}`));
  assert.match(
    refusal(`a: ${nested(maxManifestDepth + 1)}`, 'x.yaml').message,
    new RegExp(`^The manifest x\\.yaml nests deeper than ${maxManifestDepth} levels \\(line 1\\): refused\\.$`),
  );
});

test('a file larger than any object is refused before it is parsed', () => {
  const big = Buffer.alloc(maxManifestBytes + 1, 'a');
  const started = performance.now();
  assert.is(
    refusal(big, 'shop/configmaps/big.yaml').message,
    `The manifest shop/configmaps/big.yaml is ${maxManifestBytes + 1} bytes, more than the 8 MiB any Kubernetes object's file can be: refused.`,
  );
  assert.ok(performance.now() - started < 50);
  assert.ok(parseObject(`kind: ConfigMap\ndata:\n  a: ${'x'.repeat(1024 * 1024)}\n`));
});

test('a file that is not one mapping is a ManifestError that is not a limit', () => {
  for (const text of ['a: [1', '- a\n- b']) {
    try {
      parseObject(text, 'x.yaml');
      assert.unreachable();
    } catch (error) {
      assert.instance(error, ManifestError);
      assert.not.instance(error, ManifestLimitError);
      assert.match((error as Error).message, /^The manifest x\.yaml is not/);
    }
  }
});

test.run();
