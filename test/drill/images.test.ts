// The image drill through the real CLI against two real registries (Debian's docker-registry, as the images
// tests run it): every image of the revision must be in the secondary registry, by digest when pinned.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorImages, parseImageReference, RegistryClient } from '../../lib/images/index.ts';
import { runCli } from '../helpers/cli.ts';
import {
  pushMultiArchImage,
  pushSingleImage,
  startRegistry,
  type PushedImage,
  type Registry,
} from '../images/registry-server.ts';
import { deployment, drillNote, namespace, writeRepository } from './drill-setup.ts';

let root = '';
let source: Registry;
let secondary: Registry;
let multi: PushedImage;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubesnap-drill-images-'));
  [source, secondary] = await Promise.all([
    startRegistry(join(root, 'source')),
    startRegistry(join(root, 'secondary')),
  ]);
  const client = new RegistryClient(source.host, { insecure: true });
  await pushSingleImage(client, 'demo/app', '1.0', Buffer.from('version one\n'));
  multi = await pushMultiArchImage(client, 'demo/multi', '2.0');
});

test.after(async () => {
  await Promise.all([source?.stop(), secondary?.stop()]);
  await rm(root, { recursive: true, force: true });
});

test('an image missing from the secondary registry fails the drill and is named; once mirrored, the drill passes', async () => {
  const appImage = `${source.host}/demo/app:1.0`;
  const multiImage = `${source.host}/demo/multi@${multi.digest}`;
  const repo = await writeRepository([
    namespace('shop'),
    deployment('shop', 'web', 'web', appImage),
    deployment('shop', 'batch', 'batch', multiImage),
  ]);
  try {
    await mirrorImages([parseImageReference(appImage)], {
      to: `${secondary.host}/mirror`,
      fromInsecure: true,
      toInsecure: true,
    });
    const missing = await runCli([
      'drill',
      '--repo',
      repo.repo,
      '--images',
      `${secondary.host}/mirror`,
      '--images-insecure',
    ]);
    assert.is(missing.code, 1, missing.stdout + missing.stderr);
    assert.match(missing.stdout, /✓ config:/);
    assert.match(missing.stdout, /✗ images: 1 of 2 images/);
    assert.match(
      missing.stdout,
      new RegExp(
        `demo/multi@${multi.digest} is missing from the secondary registry .*mirror/demo/multi@sha256:.*used by Deployment/shop/batch`,
      ),
    );
    assert.not.match(missing.stdout, /demo\/app:1\.0 is missing/);
    assert.match(await drillNote(repo.repo), /failed config=passed images=failed\n$/);

    await mirrorImages([parseImageReference(multiImage)], {
      to: `${secondary.host}/mirror`,
      fromInsecure: true,
      toInsecure: true,
    });
    const present = await runCli([
      'drill',
      '--repo',
      repo.repo,
      '--images',
      `${secondary.host}/mirror`,
      '--images-insecure',
      '-o',
      'json',
    ]);
    assert.is(present.code, 0, present.stdout + present.stderr);
    const report = JSON.parse(present.stdout);
    assert.equal(
      report.parts.map((p: { part: string; status: string }) => `${p.part} ${p.status}`),
      ['config passed', 'images passed'],
    );
  } finally {
    repo.remove();
  }
});

test.run();
