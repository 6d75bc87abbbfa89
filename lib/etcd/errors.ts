import { KubesnapError } from '../errors/index.ts';

/** etcd could not be reached, refused us, or broke off the snapshot stream. */
export class EtcdError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EETCD', message, 1, options);
  }
}

/** A snapshot file that is missing, unreadable, or not where it should be. */
export class SnapshotFileError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ESNAPSHOTFILE', message, 2, options);
  }
}
