// `etcd snapshot`: stream Maintenance.Snapshot from etcd into a hidden temporary file, check it, then
// rename it (and its `.sha256`) into place, so a final name never holds a partial snapshot.
import type { Etcd3 } from 'etcd3';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import { EtcdError, SnapshotFileError } from './errors.ts';
import { checkSnapshotFile, checksumFileContent, snapshotFileName, type SnapshotCheck } from './snapshot-file.ts';

export interface EtcdConnection {
  /** `https://10.0.0.1:2379`; several for a cluster, tried in order until one answers. */
  endpoints: string[];
  /** PEM files, as etcdctl's --cacert, --cert and --key. */
  cacert?: string;
  cert?: string;
  key?: string;
  /** How long to wait for a connection, in milliseconds. */
  dialTimeoutMs?: number;
}

export interface TakeSnapshotOptions extends EtcdConnection {
  dir: string;
  /** The snapshot's time, in its file name. */
  clock?: Clock;
}

export interface TakenSnapshot extends SnapshotCheck {
  takenAt: Date;
}

async function readPem(path: string | undefined, flag: string): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new SnapshotFileError(
      `Cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
}

async function connect(connection: EtcdConnection): Promise<Etcd3> {
  const [rootCertificate, certChain, privateKey] = await Promise.all([
    readPem(connection.cacert, '--cacert'),
    readPem(connection.cert, '--cert'),
    readPem(connection.key, '--key'),
  ]);
  if (Boolean(certChain) !== Boolean(privateKey))
    throw new UsageError('--cert and --key go together: a client certificate needs its key.');
  // Loaded here, not at the top: grpc costs about a second at start-up, which no other command should pay.
  const { Etcd3 } = await import('etcd3');
  return new Etcd3({
    hosts: connection.endpoints,
    // Without --cacert, grpc trusts the system's CAs.
    credentials:
      rootCertificate || certChain ? { rootCertificate: rootCertificate as Buffer, certChain, privateKey } : undefined,
    dialTimeout: connection.dialTimeoutMs ?? 10_000,
  });
}

/**
 * Copies the Maintenance.Snapshot stream (a grpc object-mode Readable of `{ blob }`) into `path`, with backpressure.
 * grpc ends the stream before it emits a failed call's error, so an error that came before the pipe was attached
 * (while the file opened) would otherwise pass for an empty snapshot: the first error is kept from the start.
 */
export async function writeSnapshotStream(responses: Readable, path: string): Promise<void> {
  let failure: unknown;
  responses.once('error', (error) => {
    failure ??= error;
  });
  const blobs = new Transform({
    writableObjectMode: true,
    transform(response: { blob: Buffer }, _encoding, callback) {
      callback(null, response.blob);
    },
  });
  // The file exists before the stream is read (the stream closes it): a stream opening it lazily could create it
  // after a failed connection was cleaned up, leaving an empty partial file behind.
  const file = await open(path, 'wx');
  await pipeline(responses, blobs, file.createWriteStream());
  if (failure !== undefined) throw failure;
}

async function streamSnapshot(client: Etcd3, path: string): Promise<void> {
  await writeSnapshotStream((await client.maintenance.snapshot()) as unknown as Readable, path);
}

/** grpc's message as one readable reason: `connect ECONNREFUSED 127.0.0.1:2379`, or what a TLS failure means. */
function describe(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error))
    .split('\n')[0]
    .replace(/\s*Resolution note:.*$/, '')
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/^No connection established\. Last error: (Error: )?/, '')
    .replace(/[.\s]+$/, '');
  if (/alert (bad certificate|certificate required)/.test(message))
    return 'etcd refused the client certificate (give one it trusts with --cert and --key)';
  if (/unable to verify|self[- ]signed|unable to get local issuer/.test(message))
    return `etcd's certificate is not signed by a trusted CA (give its CA with --cacert): ${message}`;
  return message;
}

/**
 * Tries the endpoints in order, one client each, until one streams a whole snapshot: etcd3's pool would
 * pick a member at random and give up on the first dead one.
 */
async function streamFromFirstAnswering(connection: EtcdConnection, path: string): Promise<void> {
  const failures: string[] = [];
  for (const endpoint of connection.endpoints) {
    const client = await connect({ ...connection, endpoints: [endpoint] });
    // grpc-js sets the TLS server name to the endpoint's IP address, for which Node prints a deprecation
    // warning (DEP0123) a user can do nothing about; it is silenced while the snapshot streams.
    const noDeprecation = process.noDeprecation;
    process.noDeprecation = true;
    try {
      await streamSnapshot(client, path);
      return;
    } catch (error) {
      await rm(path, { force: true });
      failures.push(connection.endpoints.length > 1 ? `${endpoint}: ${describe(error)}` : describe(error));
    } finally {
      process.noDeprecation = noDeprecation;
      client.close();
    }
  }
  throw new EtcdError(`The etcd snapshot from ${connection.endpoints.join(', ')} failed: ${failures.join('; ')}.`);
}

export async function takeEtcdSnapshot(options: TakeSnapshotOptions): Promise<TakenSnapshot> {
  const takenAt = new Date((options.clock ?? systemClock).now());
  const name = snapshotFileName(takenAt);
  const finalPath = join(options.dir, name);
  const partialPath = join(options.dir, `.${name}.partial`);
  await mkdir(options.dir, { recursive: true });
  await streamFromFirstAnswering(options, partialPath);
  try {
    const check = await checkSnapshotFile(partialPath);
    if (check.problems.length)
      throw new EtcdError(`etcd sent a damaged snapshot (${check.problems[0]}); nothing was kept.`);
    if (!check.etcdHashAppended)
      throw new EtcdError('etcd sent a snapshot without its sha256 trailer; nothing was kept.');
    const checksumPath = `${finalPath}.sha256`;
    await writeFile(`${partialPath}.sha256`, checksumFileContent(check.sha256, name));
    await rename(`${partialPath}.sha256`, checksumPath);
    await rename(partialPath, finalPath);
    return { ...check, file: finalPath, takenAt };
  } finally {
    await rm(partialPath, { force: true });
    await rm(`${partialPath}.sha256`, { force: true });
  }
}
