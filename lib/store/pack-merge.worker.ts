// A pack-merge thread: writes the merged pack of a big merge for Compaction (compaction.ts), with a reader of its own.
import { RepositoryError } from '../errors/index.ts';
import { answerCalls } from '../runtime/index.ts';
import type { PackMergeRequest } from './compaction.ts';
import { ObjectReader } from './object-reader.ts';
import { writeMergedPack } from './pack-consolidation.ts';

answerCalls(({ objectsDir, packNames }: PackMergeRequest) => {
  const reader = new ObjectReader(objectsDir);
  try {
    const open = new Map(reader.openPacks().map((pack) => [pack.name, pack]));
    const packs = packNames.map((name) => open.get(name) ?? []).flat();
    if (packs.length < packNames.length)
      throw new RepositoryError('A pack to merge was removed from the repository meanwhile.');
    return { reply: writeMergedPack(reader, packs) };
  } finally {
    reader.close();
  }
});
