// Real registries (Debian's docker-registry, the CNCF distribution) on random loopback ports, and a tiny
// OCI image built and pushed here with kubesnap's own registry client: no network, no docker.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { manifestMediaTypes, RegistryClient, sha256Digest, type Manifest } from '../../lib/images/index.ts';

export interface Registry {
  host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export async function startRegistry(dir: string): Promise<Registry> {
  await mkdir(join(dir, 'data'), { recursive: true });
  const host = `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
      `http: { addr: "${host}" }`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await fetch(`http://${host}/v2/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { host, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A one-file tar archive (ustar headers as tar writes them). */
function tarWithFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

export interface PushedImage {
  digest: string;
  /** Every blob digest the image is made of (configs and layers of every platform). */
  blobs: string[];
}

async function pushBlob(
  client: RegistryClient,
  repository: string,
  bytes: Buffer,
): Promise<{ digest: string; size: number }> {
  const digest = sha256Digest(bytes);
  await client.uploadBlob(repository, digest, bytes);
  return { digest, size: bytes.length };
}

async function pushPlatformManifest(
  client: RegistryClient,
  repository: string,
  architecture: string,
  fileContent: Buffer,
  command = '/hello.txt',
): Promise<{ manifest: Manifest; blobs: string[] }> {
  const tar = tarWithFile('hello.txt', fileContent);
  const layer = await pushBlob(client, repository, gzipSync(tar));
  const config = await pushBlob(
    client,
    repository,
    Buffer.from(
      JSON.stringify({
        architecture,
        os: 'linux',
        config: { Cmd: [command] },
        rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
      }),
    ),
  );
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestMediaTypes.ociManifest,
      config: { ...config, mediaType: 'application/vnd.oci.image.config.v1+json' },
      layers: [{ ...layer, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }],
    }),
  );
  const manifest = { mediaType: manifestMediaTypes.ociManifest, digest: sha256Digest(bytes), bytes };
  await client.putManifest(repository, manifest.digest, manifest);
  return { manifest, blobs: [config.digest, layer.digest] };
}

/** One platform, pushed by digest and tagged; the same file content gives the same layer. */
export async function pushSingleImage(
  client: RegistryClient,
  repository: string,
  tag: string,
  fileContent: Buffer,
  command?: string,
): Promise<PushedImage> {
  const { manifest, blobs } = await pushPlatformManifest(client, repository, 'amd64', fileContent, command);
  await client.putManifest(repository, tag, manifest);
  return { digest: manifest.digest, blobs };
}

/** An OCI index of amd64 and arm64 images, pushed (and tagged) by the index. */
export async function pushMultiArchImage(
  client: RegistryClient,
  repository: string,
  tag: string,
): Promise<PushedImage> {
  const platforms = await Promise.all(
    ['amd64', 'arm64'].map((architecture) =>
      pushPlatformManifest(client, repository, architecture, Buffer.from(`hello from ${architecture}\n`)),
    ),
  );
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestMediaTypes.ociIndex,
      manifests: platforms.map(({ manifest }, index) => ({
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.length,
        platform: { architecture: ['amd64', 'arm64'][index], os: 'linux' },
      })),
    }),
  );
  const index = { mediaType: manifestMediaTypes.ociIndex, digest: sha256Digest(bytes), bytes };
  await client.putManifest(repository, index.digest, index);
  await client.putManifest(repository, tag, index);
  return { digest: index.digest, blobs: platforms.flatMap(({ blobs }) => blobs) };
}
