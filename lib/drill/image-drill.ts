import {
  collectImageInventory,
  parseMirrorTarget,
  RegistryClient,
  RegistryError,
  effectiveTag,
} from '../images/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import type { DrillPart } from './types.ts';

export interface ImageDrillOptions {
  repository: SnapshotRepository;
  commit: string;
  /** The secondary registry, `host[:port][/path]`, as `kubesnap images mirror --to` was given it. */
  registry: string;
  insecure?: boolean;
  prefix?: string;
}

/**
 * Every image the revision uses is in the secondary registry where `images mirror` put it: a HEAD of its manifest
 * through the OCI distribution API, by digest when the revision pins one (and then the digest must match), else by tag.
 */
export async function drillImages(options: ImageDrillOptions): Promise<DrillPart> {
  const inventory = await collectImageInventory(options.repository, {
    revision: options.commit,
    prefix: options.prefix,
  });
  const target = parseMirrorTarget(options.registry);
  const client = new RegistryClient(target.registry, { insecure: options.insecure });
  const problems = inventory.invalid.map(
    (entry) => `${entry.use.path}: the image "${entry.image}" cannot be mirrored: ${entry.reason}`,
  );
  for (const image of inventory.images) {
    const repository = target.prefix ? `${target.prefix}/${image.repository}` : image.repository;
    const reference = image.digest ?? effectiveTag(image)!;
    const where = `${target.registry}/${repository}${image.digest ? `@${image.digest}` : `:${reference}`}`;
    try {
      const digest = await client.manifestDigest(repository, reference);
      if (digest === undefined)
        problems.push(
          `${image.image} is missing from the secondary registry (${where}), used by ${usedBy(image.usedBy)}`,
        );
      else if (image.digest && digest !== image.digest)
        problems.push(`${where} answers with the digest ${digest}, not ${image.digest}`);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      problems.push(`${image.image}: ${error.message}`);
    }
  }
  const count = inventory.images.length;
  const summary =
    problems.length === 0
      ? `all ${count} images of the revision are in ${options.registry}.`
      : `${problems.length} of ${count} images of the revision are not usable from ${options.registry}.`;
  return { part: 'images', status: problems.length === 0 ? 'passed' : 'failed', summary, problems, notes: [] };
}

function usedBy(uses: ReadonlyArray<{ kind: string; namespace?: string; name: string }>): string {
  const names = uses.map((use) => `${use.kind}/${use.namespace ? `${use.namespace}/` : ''}${use.name}`);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}
