// The values of restore's own flags that need more than commander's parsing.
import { UsageError } from '../../lib/errors/index.ts';
import type { ImageRegistryMapping } from '../../lib/images/index.ts';

export type DryRun = 'client' | 'server' | undefined;

/** `--dry-run` alone is client; `--dry-run=server` also sends the writes with dryRun=All. */
export function parseDryRun(value: unknown): DryRun {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === 'client') return 'client';
  if (value === 'server') return 'server';
  throw new UsageError(
    `--dry-run "${value}" is not client or server (write --dry-run=server; a revision goes before the flag).`,
  );
}

/** `--image-registry-map FROM=TO`, repeated. */
export function parseImageRegistryMap(pairs: readonly string[]): ImageRegistryMapping[] {
  return pairs.map((pair) => {
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(pair.trim());
    if (!match) throw new UsageError(`--image-registry-map "${pair}" is not of the form FROM=TO.`);
    return { from: match[1], to: match[2] };
  });
}
