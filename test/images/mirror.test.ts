// kubesnap images and images mirror against two real registries (Debian's docker-registry) on loopback,
// with images built and pushed here: single-platform and multi-arch (OCI index), by tag and by digest.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorImages, parseImageReference, RegistryClient } from '../../lib/images/index.ts';
import { objectPath, serializeObject } from '../../lib/layout/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import {
  pushMultiArchImage,
  pushSingleImage,
  startRegistry,
  type PushedImage,
  type Registry,
} from './registry-server.ts';

let root = '';
let source: Registry | undefined;
let target: Registry | undefined;
let app: PushedImage;
let multi: PushedImage;
let repoDir = '';

const author = { name: 'test', email: 'test@example.com' };

function workload(kind: string, group: string, resource: string, namespace: string, name: string, body: object) {
  const apiVersion = group ? `${group}/v1` : 'v1';
  const object = { apiVersion, kind, metadata: { name, namespace }, ...body };
  return { path: objectPath({ group, resource, namespace, name }), content: serializeObject(object) };
}

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubesnap-images-'));
  [source, target] = await Promise.all([startRegistry(join(root, 'source')), startRegistry(join(root, 'target'))]);
  const client = new RegistryClient(source.host, { insecure: true });
  app = await pushSingleImage(client, 'demo/app', '1.0', Buffer.from('version one\n'));
  multi = await pushMultiArchImage(client, 'demo/multi', '2.0');

  repoDir = join(root, 'snapshots.git');
  const repository = await SnapshotRepository.open(repoDir, { create: true });
  const src = source.host;
  await repository.commitChanges(
    [
      workload('Deployment', 'apps', 'deployments', 'shop', 'web', {
        spec: {
          template: {
            spec: {
              initContainers: [{ name: 'setup', image: `${src}/demo/multi@${multi.digest}` }],
              containers: [{ name: 'web', image: `${src}/demo/app:1.0` }],
            },
          },
        },
      }),
      workload('CronJob', 'batch', 'cronjobs', 'shop', 'report', {
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [{ name: 'report', image: `${src}/demo/multi:2.0` }],
                },
              },
            },
          },
        },
      }),
      workload('Pod', '', 'pods', 'shop', 'debug', {
        spec: {
          containers: [{ name: 'main', image: `${src}/demo/app:1.0` }],
          ephemeralContainers: [{ name: 'debugger', image: `${src}/demo/app:1.0` }],
        },
      }),
      workload('ConfigMap', '', 'configmaps', 'shop', 'settings', { data: { image: 'not-an-image-use:1' } }),
    ],
    { message: 'workloads from the local registry', author },
  );
  await repository.commitChanges(
    [
      workload('StatefulSet', 'apps', 'statefulsets', 'db', 'postgres', {
        spec: { template: { spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } },
      }),
      workload('PodTemplate', '', 'podtemplates', 'db', 'tpl', {
        template: { spec: { containers: [{ name: 'x', image: 'Bad Image' }] } },
      }),
    ],
    { message: 'a public image and a bad one', author },
  );
});

test.after(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
  await rm(root, { recursive: true, force: true });
});

test('images lists every image of a revision with registry, repository, tag, digest and its users', async () => {
  const result = await runCli(['--repo', repoDir, 'images', '-o', 'json']);
  assert.is(result.code, 0, result.stderr);
  const inventory = JSON.parse(result.stdout);
  const src = source!.host;
  assert.equal(
    inventory.images.map((image: { image: string }) => image.image),
    [
      `${src}/demo/app:1.0`,
      `${src}/demo/multi:2.0`,
      `${src}/demo/multi@${multi.digest}`,
      'docker.io/library/postgres:16',
    ],
  );
  const [appImage, , pinned, postgres] = inventory.images;
  assert.equal(
    { registry: appImage.registry, repository: appImage.repository, tag: appImage.tag, digest: appImage.digest },
    { registry: src, repository: 'demo/app', tag: '1.0', digest: undefined },
  );
  assert.equal(
    appImage.usedBy
      .map(
        (use: { kind: string; name: string; field: string; container: string }) =>
          `${use.kind}/${use.name}/${use.field}/${use.container}`,
      )
      .sort(),
    ['Deployment/web/containers/web', 'Pod/debug/containers/main', 'Pod/debug/ephemeralContainers/debugger'],
  );
  assert.is(pinned.digest, multi.digest);
  assert.is(pinned.tag, undefined);
  assert.is(pinned.usedBy[0].field, 'initContainers');
  assert.equal(postgres.written, ['postgres:16']);
  assert.is(inventory.invalid.length, 1);
  assert.match(inventory.invalid[0].reason, /Bad Image/);

  const older = await runCli(['--repo', repoDir, 'images', 'HEAD~1']);
  assert.is(older.code, 0, older.stderr);
  assert.match(
    older.stdout,
    new RegExp(
      `${src.replace(/\./g, '\\.')}/demo/multi:2\\.0\\n  registry ${src.replace(/\./g, '\\.')}, repository demo/multi, tag 2\\.0\\n  used by CronJob shop/report \\(containers report\\)`,
    ),
  );
  assert.not.match(older.stdout, /postgres/);
  assert.match(older.stdout, /3 images in [0-9a-f]{12}\n$/);
});

async function blobSha(client: RegistryClient, repository: string, digest: string): Promise<string> {
  const { body } = await client.openBlob(repository, digest);
  const hash = createHash('sha256');
  for await (const part of body) hash.update(part);
  return `sha256:${hash.digest('hex')}`;
}

test('images mirror copies indexes, manifests and blobs by digest and tags them; a second run copies nothing', async () => {
  const result = await runCli([
    '--repo',
    repoDir,
    'images',
    'mirror',
    'HEAD~1',
    '--to',
    target!.host,
    '--from-insecure',
    '--to-insecure',
    '-o',
    'json',
  ]);
  assert.is(result.code, 0, result.stdout + result.stderr);
  const mirrored = JSON.parse(result.stdout);
  assert.equal(mirrored.totals, {
    images: 3,
    failed: 0,
    manifestsPushed: 6,
    blobsCopied: 6,
    blobsSkipped: 0,
    bytesCopied: mirrored.totals.bytesCopied,
  });
  assert.ok(mirrored.totals.bytesCopied > 0);

  const destination = new RegistryClient(target!.host, { insecure: true });
  assert.is(await destination.manifestDigest('demo/app', '1.0'), app.digest);
  assert.is(await destination.manifestDigest('demo/multi', '2.0'), multi.digest);
  const index = await destination.getManifest('demo/multi', multi.digest);
  assert.is(index!.mediaType, 'application/vnd.oci.image.index.v1+json');
  for (const child of JSON.parse(index!.bytes.toString()).manifests)
    assert.is(await destination.manifestDigest('demo/multi', child.digest), child.digest);
  for (const blob of app.blobs) assert.is(await blobSha(destination, 'demo/app', blob), blob);
  for (const blob of multi.blobs) assert.is(await blobSha(destination, 'demo/multi', blob), blob);

  const again = await runCli([
    '--repo',
    repoDir,
    'images',
    'mirror',
    'HEAD~1',
    '--to',
    target!.host,
    '--from-insecure',
    '--to-insecure',
  ]);
  assert.is(again.code, 0, again.stderr);
  assert.match(
    again.stdout,
    /mirrored 3\/3 images: 0 manifests pushed, 0 blobs copied \(0\.0 MiB\), 0 blobs already there\n$/,
  );
});

test('blobs already in the target are skipped, big ones go up in chunks, a missing image fails alone', async () => {
  const client = new RegistryClient(source!.host, { insecure: true });
  // Same layer as demo/app:1.0, another config: only the config is new to the target.
  const sibling = await pushSingleImage(client, 'demo/app', '1.1', Buffer.from('version one\n'), '/other');
  const big = await pushSingleImage(client, 'demo/big', 'v1', randomBytes(300_000));
  const images = [`${source!.host}/demo/app:1.1`, `${source!.host}/demo/big:v1`, `${source!.host}/demo/missing:1`].map(
    parseImageReference,
  );
  const done: string[] = [];
  const methods: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    methods.push(init?.method ?? 'GET');
    return realFetch(input, init);
  };
  const result = await mirrorImages(images, {
    to: target!.host,
    fromInsecure: true,
    toInsecure: true,
    chunkBytes: 64 * 1024,
    onImageDone: (image) => done.push(image.source),
  }).finally(() => (globalThis.fetch = realFetch));
  assert.ok(methods.filter((method) => method === 'PATCH').length >= 5, 'the 300 kB layer went up in 64 KiB chunks');
  assert.is(done.length, 3);
  const [siblingResult, bigResult, missing] = result.images;
  assert.equal([siblingResult.blobsCopied, siblingResult.blobsSkipped], [1, 1]);
  assert.equal([bigResult.blobsCopied, bigResult.blobsSkipped], [2, 0]);
  assert.ok(bigResult.bytesCopied > 300_000);
  assert.match(missing.error!, /demo\/missing .*404|has no manifest 1/);
  assert.is(result.totals.failed, 1);

  const destination = new RegistryClient(target!.host, { insecure: true });
  assert.is(await destination.manifestDigest('demo/app', '1.1'), sibling.digest);
  assert.is(await destination.manifestDigest('demo/big', 'v1'), big.digest);
  for (const blob of big.blobs) assert.is(await blobSha(destination, 'demo/big', blob), blob);

  const prefixed = await mirrorImages([parseImageReference(`${source!.host}/demo/app:1.0`)], {
    to: `${target!.host}/backup/`,
    fromInsecure: true,
    toInsecure: true,
  });
  assert.is(prefixed.images[0].target, `${target!.host}/backup/demo/app:1.0`);
  assert.is(await destination.manifestDigest('backup/demo/app', '1.0'), app.digest);
});

/** In front of a registry: every /v2/ request needs a bearer token from /token, as Docker Hub asks even anonymous clients. */
async function startTokenGate(
  upstream: string,
  challenge: 'bearer' | 'basic',
): Promise<{ host: string; tokensIssued: () => number; close: () => Promise<void> }> {
  let issued = 0;
  const server = createServer(async (request, response) => {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.url!.startsWith('/token?')) {
      const query = new URL(request.url!, `http://${host}`).searchParams;
      issued++;
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `token-for-${query.get('scope')}` }));
      return;
    }
    const repository = /^\/v2\/(.+?)\/(manifests|blobs)\//.exec(request.url!)?.[1];
    if (request.headers.authorization !== `Bearer token-for-repository:${repository}:pull`) {
      const header =
        challenge === 'bearer'
          ? `Bearer realm="http://${host}/token",service="gate",scope="repository:${repository}:pull"`
          : 'Basic realm="gate"';
      response
        .writeHead(401, { 'www-authenticate': header, 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const body: Buffer[] = [];
    for await (const chunk of request) body.push(chunk as Buffer);
    const upstreamResponse = await fetch(`http://${upstream}${request.url}`, {
      method: request.method,
      headers: { accept: String(request.headers.accept ?? '*/*') },
      body: body.length ? Buffer.concat(body) : undefined,
    });
    const headers: Record<string, string> = {};
    upstreamResponse.headers.forEach((value, key) => {
      if (key !== 'transfer-encoding' && key !== 'content-encoding') headers[key] = value;
    });
    response.writeHead(upstreamResponse.status, headers).end(Buffer.from(await upstreamResponse.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokensIssued: () => issued,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

test('a registry that asks for a bearer token gets an anonymous one; one that asks for a password fails that image with one sentence', async () => {
  const gate = await startTokenGate(source!.host, 'bearer');
  const basic = await startTokenGate(source!.host, 'basic');
  try {
    const result = await mirrorImages(
      [parseImageReference(`${gate.host}/demo/app:1.0`), parseImageReference(`${basic.host}/demo/app:1.0`)],
      {
        to: `${target!.host}/gated`,
        fromInsecure: true,
        toInsecure: true,
      },
    );
    assert.is(result.images[0].error, undefined);
    assert.is(result.images[0].digest, app.digest);
    assert.is(gate.tokensIssued(), 1, 'one token per repository, reused');
    assert.is(
      result.images[1].error,
      `The registry ${basic.host} asks for credentials for demo/app, which kubesnap does not have.`,
    );
    const destination = new RegistryClient(target!.host, { insecure: true });
    assert.is(await destination.manifestDigest('gated/demo/app', '1.0'), app.digest);
  } finally {
    await gate.close();
    await basic.close();
  }
});

test.run();
