// A client of one registry over the OCI distribution API (/v2/): manifests by tag or digest, blob
// existence, blob download as a stream, monolithic and chunked uploads. Anonymous bearer tokens are
// fetched when a registry asks for them (Docker Hub does, even for public pulls).
import { createHash } from 'node:crypto';
import { RegistryError } from './errors.ts';
import { defaultRegistry } from './reference.ts';

export const manifestMediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

const acceptManifests = Object.values(manifestMediaTypes).join(', ');

export interface Manifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export interface RegistryClientOptions {
  /** Plain http instead of https. */
  insecure?: boolean;
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class RegistryClient {
  readonly registry: string;
  private readonly base: string;
  private readonly tokens = new Map<string, string>();

  constructor(registry: string, options: RegistryClientOptions = {}) {
    this.registry = registry;
    // Docker Hub's API lives on another host than its image names say.
    const host = registry === defaultRegistry ? 'registry-1.docker.io' : registry;
    this.base = `${options.insecure ? 'http' : 'https'}://${host}`;
  }

  /** The manifest at a tag or digest; undefined when the registry has none there. */
  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const response = await this.request(
      repository,
      'GET',
      `/v2/${repository}/manifests/${reference}`,
      { headers: { accept: acceptManifests } },
      [200, 404],
    );
    if (response.status === 404) return discard(response);
    const bytes = Buffer.from(await response.arrayBuffer());
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim() || mediaTypeInside(bytes);
    return { mediaType, digest: sha256Digest(bytes), bytes };
  }

  /** The digest a tag or digest points at, without fetching the manifest; undefined when absent. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.request(
      repository,
      'HEAD',
      `/v2/${repository}/manifests/${reference}`,
      { headers: { accept: acceptManifests } },
      [200, 404],
    );
    if (response.status === 404) return undefined;
    return response.headers.get('docker-content-digest') ?? (reference.includes(':') ? reference : undefined);
  }

  async putManifest(repository: string, reference: string, manifest: Manifest): Promise<void> {
    await discardBody(
      this.request(
        repository,
        'PUT',
        `/v2/${repository}/manifests/${reference}`,
        {
          headers: { 'content-type': manifest.mediaType },
          body: manifest.bytes,
        },
        [201],
      ),
    );
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.request(repository, 'HEAD', `/v2/${repository}/blobs/${digest}`, {}, [200, 404]);
    return response.status === 200;
  }

  /** The blob's bytes as a stream (redirects to storage followed). */
  async openBlob(repository: string, digest: string): Promise<{ size: number; body: ReadableStream<Uint8Array> }> {
    const response = await this.request(repository, 'GET', `/v2/${repository}/blobs/${digest}`, {}, [200]);
    if (!response.body)
      throw new RegistryError(`${this.registry} sent no body for the blob ${digest} of ${repository}.`);
    return { size: Number(response.headers.get('content-length') ?? -1), body: response.body };
  }

  /** POST + PUT with the whole blob in the PUT. */
  async uploadBlob(repository: string, digest: string, bytes: Buffer): Promise<void> {
    const location = await this.startUpload(repository);
    await discardBody(
      this.request(
        repository,
        'PUT',
        withDigest(location, digest),
        {
          headers: { 'content-type': 'application/octet-stream' },
          body: bytes,
        },
        [201],
      ),
    );
  }

  /** POST, one PATCH per chunk (Content-Range), then PUT with the digest. */
  async uploadBlobInChunks(repository: string, digest: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    let location = await this.startUpload(repository);
    let offset = 0;
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      const response = await this.request(
        repository,
        'PATCH',
        location,
        {
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${offset}-${offset + chunk.length - 1}`,
          },
          body: chunk,
        },
        [202],
      );
      location = this.locationOf(response, repository);
      await discard(response);
      offset += chunk.length;
    }
    await discardBody(
      this.request(repository, 'PUT', withDigest(location, digest), { headers: { 'content-length': '0' } }, [201]),
    );
  }

  private async startUpload(repository: string): Promise<string> {
    const response = await this.request(
      repository,
      'POST',
      `/v2/${repository}/blobs/uploads/`,
      { headers: { 'content-length': '0' } },
      [202],
    );
    await discard(response);
    return this.locationOf(response, repository);
  }

  private locationOf(response: Response, repository: string): string {
    const location = response.headers.get('location');
    if (!location)
      throw new RegistryError(
        `${this.registry} started an upload to ${repository} without saying where to send it (no Location header).`,
      );
    return new URL(location, this.base).toString();
  }

  /** One request, with one retry after fetching a bearer token when the registry answers 401 with a Bearer challenge. */
  private async request(
    repository: string,
    method: string,
    pathOrUrl: string,
    init: { headers?: Record<string, string>; body?: Buffer },
    expected: number[],
  ): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const send = async (): Promise<Response> => {
      const token = this.tokens.get(repository);
      const headers = { ...init.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
      try {
        return await fetch(url, { method, headers, body: init.body as Uint8Array<ArrayBuffer> | undefined });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new RegistryError(
          `Cannot reach the registry ${this.registry}: ${cause?.code ?? cause?.message ?? String(error)}.`,
          { cause: error },
        );
      }
    };
    let response = await send();
    if (response.status === 401 && !this.tokens.has(repository)) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      await response.body?.cancel();
      if (!/^bearer\s/i.test(challenge))
        throw new RegistryError(
          `The registry ${this.registry} asks for credentials for ${repository}, which kubesnap does not have.`,
          { status: 401 },
        );
      this.tokens.set(repository, await this.fetchToken(challenge, repository));
      response = await send();
    }
    if (!expected.includes(response.status)) {
      const detail = await errorDetail(response);
      throw new RegistryError(
        `${method} ${new URL(url).pathname} on ${this.registry} answered ${response.status}${detail ? `: ${detail}` : ''}.`,
        { status: response.status },
      );
    }
    return response;
  }

  private async fetchToken(challenge: string, repository: string): Promise<string> {
    const parameters = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1].toLowerCase(), match[2]]),
    );
    if (!parameters.realm)
      throw new RegistryError(`The registry ${this.registry} sent a Bearer challenge without a realm.`);
    const tokenUrl = new URL(parameters.realm);
    if (parameters.service) tokenUrl.searchParams.set('service', parameters.service);
    tokenUrl.searchParams.set('scope', parameters.scope ?? `repository:${repository}:pull,push`);
    const response = await fetch(tokenUrl).catch((error: unknown) => {
      throw new RegistryError(`Cannot reach the token service of ${this.registry} (${tokenUrl.host}).`, {
        cause: error,
      });
    });
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!response.ok || !token)
      throw new RegistryError(
        `The registry ${this.registry} gave no anonymous token for ${repository} (${response.status}); it needs credentials.`,
        { status: response.status },
      );
    return token;
  }
}

/** Lets the connection go back to the pool when a response's body is of no use. */
async function discard(response: Response): Promise<undefined> {
  await response.body?.cancel();
  return undefined;
}

async function discardBody(response: Promise<Response>): Promise<void> {
  await discard(await response);
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

function mediaTypeInside(bytes: Buffer): string {
  try {
    return String((JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType ?? '');
  } catch {
    return '';
  }
}

/** The first message of an OCI error body (`{"errors":[{"code","message"}]}`), if there is one. */
async function errorDetail(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => '');
  try {
    const error = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors?.[0];
    return error ? [error.code, error.message].filter(Boolean).join(' ') : undefined;
  } catch {
    return text.trim().split('\n')[0]?.slice(0, 200) || undefined;
  }
}
