import { Command } from 'commander';
import type { ImageInventory, MirrorResult } from '../../lib/images/index.ts';
import type { GlobalOptions } from '../main.ts';
import { globalsOf } from '../options/globals.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';
import { addRepositoryOptions, openRepository, type RepositoryFlags } from '../options/repository.ts';
import { createProgress } from '../progress.ts';

interface ImagesFlags extends RepositoryFlags, OutputFlags {}

interface MirrorFlags extends ImagesFlags {
  to: string;
  fromInsecure?: boolean;
  toInsecure?: boolean;
}

export function registerImagesCommand(program: Command): void {
  const images = new Command('images')
    .description('list every container image a revision of the snapshot repository refers to, and what uses it')
    .argument('[rev]', 'the revision (default: HEAD)');
  addRepositoryOptions(images, { write: false });
  addOutputOption(images);
  images.action(async (rev: string | undefined, _options, self: Command) => {
    const options = globalsOf<ImagesFlags>(self);
    const inventory = await readInventory(options, rev);
    if (options.output === 'json') process.stdout.write(JSON.stringify(inventory, null, 2) + '\n');
    else printInventory(inventory);
  });

  const mirror = new Command('mirror')
    .description(
      'copy every image of a revision, by digest, to another registry (manifests, indexes, blobs; what is there already is skipped)',
    )
    .argument('[rev]', 'the revision (default: HEAD)')
    .requiredOption('--to <registry>', 'the target registry, host[:port][/path]')
    .option('--from-insecure', 'talk plain http to the source registries')
    .option('--to-insecure', 'talk plain http to the target registry');
  addRepositoryOptions(mirror, { write: false });
  addOutputOption(mirror);
  mirror.exitOverride();
  mirror.configureOutput({ outputError: () => {} });
  mirror.action(async (rev: string | undefined, _options, self: Command) => {
    const options = globalsOf<MirrorFlags>(self);
    const inventory = await readInventory(options, rev);
    const { mirrorImages } = await import('../../lib/images/index.ts');
    const progress = await createProgress('images');
    progress.start(inventory.images.length);
    let result: MirrorResult;
    try {
      result = await mirrorImages(inventory.images, {
        to: options.to,
        fromInsecure: Boolean(options.fromInsecure),
        toInsecure: Boolean(options.toInsecure),
        onImageDone: (image) => progress.tick(image.source, image.blobsCopied),
      });
    } finally {
      progress.stop();
    }
    if (options.output === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else printMirror(result);
    if (result.totals.failed) process.exitCode = 1;
  });
  images.addCommand(mirror);
  program.addCommand(images);
}

async function readInventory(options: GlobalOptions & ImagesFlags, rev: string | undefined): Promise<ImageInventory> {
  const { collectImageInventory } = await import('../../lib/images/index.ts');
  const repository = await openRepository(options, { write: false });
  return collectImageInventory(repository, { revision: rev, prefix: options.prefix });
}

function printInventory(inventory: ImageInventory): void {
  for (const image of inventory.images) {
    const parts = [`registry ${image.registry}`, `repository ${image.repository}`];
    if (image.tag) parts.push(`tag ${image.tag}`);
    if (image.digest) parts.push(`digest ${image.digest}`);
    process.stdout.write(`${image.image}\n  ${parts.join(', ')}\n`);
    for (const use of image.usedBy) {
      process.stdout.write(
        `  used by ${use.kind} ${use.namespace ? `${use.namespace}/` : ''}${use.name} (${use.field} ${use.container})\n`,
      );
    }
  }
  for (const entry of inventory.invalid) {
    process.stderr.write(
      `warning: ${entry.use.kind} ${entry.use.namespace ? `${entry.use.namespace}/` : ''}${entry.use.name}: ${entry.reason}\n`,
    );
  }
  process.stdout.write(`${inventory.images.length} images in ${inventory.commit.slice(0, 12)}\n`);
}

function printMirror(result: MirrorResult): void {
  for (const image of result.images) {
    if (image.error) process.stdout.write(`FAILED ${image.source}: ${image.error}\n`);
    else
      process.stdout.write(
        `${image.source} -> ${image.target}${image.digest ? ` (${image.digest.slice(0, 19)})` : ''}: ${image.blobsCopied} blobs copied, ${image.blobsSkipped} already there\n`,
      );
  }
  const { totals } = result;
  const megabytes = (totals.bytesCopied / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `mirrored ${totals.images - totals.failed}/${totals.images} images: ${totals.manifestsPushed} manifests pushed, ${totals.blobsCopied} blobs copied (${megabytes} MiB), ${totals.blobsSkipped} blobs already there${totals.failed ? `, ${totals.failed} failed` : ''}\n`,
  );
}
