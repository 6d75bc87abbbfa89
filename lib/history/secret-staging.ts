import type { ApiResource } from '../kube/index.ts';
import { parseObject, parseObjectPath, serializeObject } from '../layout/index.ts';
import type { Logger } from '../log/index.ts';
import type { KubeObject } from '../normalize/index.ts';
import type { SecretSealer } from '../secrets/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import type { Attribution } from './attribution.ts';

export interface SecretStagingOptions {
  sealer: SecretSealer;
  prefix?: string;
  logger: Logger;
  /** Stages a Secret's file once its values are sealed. */
  stage: (path: string, content: Buffer, extra: { attribution?: Attribution; object: object }) => void;
}

export function isSecretsResource(resource: Pick<ApiResource, 'group' | 'resource'>): boolean {
  return resource.group === '' && resource.resource === 'secrets';
}

/**
 * The Secrets a `HistoryWriter` stages encrypted: each against its committed version, whose ciphertext an unchanged
 * value keeps, and the latest encryption of a path winning over an older one finishing late.
 */
export class SecretStaging {
  /** Committed Secrets (parsed). */
  private committed = new Map<string, object>();
  /** The latest encryption under way per path. */
  private sealing = new Map<string, Promise<void>>();

  constructor(private readonly options: SecretStagingOptions) {}

  /** Reads the Secrets of the committed tree (`files`: path → blob id). */
  async load(files: ReadonlyMap<string, string>, repository: Pick<SnapshotRepository, 'readBlob'>): Promise<void> {
    this.committed = new Map();
    for (const [path, id] of files) {
      if (this.isSecretPath(path))
        this.committed.set(path, parseObject((await repository.readBlob(id)).toString('utf8')));
    }
  }

  /** A Secret whose values are all unchanged is staged at once (its committed bytes); otherwise once encrypted. */
  stage(path: string, secret: KubeObject, attribution: Attribution | undefined): void {
    const { sealer, stage, logger } = this.options;
    const previous = this.committed.get(path);
    const unchanged = sealer.sealUnchanged(secret, previous);
    if (unchanged) {
      stage(path, Buffer.from(serializeObject(unchanged)), { attribution, object: unchanged });
      return;
    }
    const sealing: Promise<void> = sealer
      .seal(secret, previous)
      .then(
        (sealed) => {
          if (this.sealing.get(path) === sealing)
            stage(path, Buffer.from(serializeObject(sealed)), { attribution, object: sealed });
        },
        (error) =>
          logger.error('a Secret could not be encrypted; it is left out of this commit', {
            path,
            error: error instanceof Error ? error.message : 'unknown',
          }),
      )
      .finally(() => {
        if (this.sealing.get(path) === sealing) this.sealing.delete(path);
      });
    this.sealing.set(path, sealing);
  }

  /** A later change of the object supersedes an encryption still under way. */
  supersede(path: string): void {
    this.sealing.delete(path);
  }

  /** Resolves when no Secret is being encrypted any more (ones staged meanwhile included). */
  async settled(): Promise<void> {
    while (this.sealing.size > 0) await Promise.all(this.sealing.values());
  }

  /** The batch counts as committed from now on; the function returned undoes that when its write fails. */
  committing(batch: ReadonlyMap<string, { content: Buffer | null }>): () => void {
    const before = new Map(this.committed);
    for (const [path, change] of batch) {
      if (this.committed.has(path) || (change.content && this.isSecretPath(path))) {
        if (change.content === null) this.committed.delete(path);
        else this.committed.set(path, parseObject(change.content.toString('utf8')));
      }
    }
    return () => {
      this.committed = before;
    };
  }

  private isSecretPath(path: string): boolean {
    const identity = parseObjectPath(path, this.options.prefix);
    return identity !== undefined && isSecretsResource(identity);
  }
}
