import { hashObject } from './git-object.ts';
import { packEntry, type PackEntry } from './object-writer.ts';

/**
 * A file's blob made ready for a commit somewhere else (a worker thread): its id and its bytes as a pack entry
 * holds them, so the commit neither hashes nor deflates it again. Pure CPU, no repository needed.
 */
export interface PreparedBlob {
  id: string;
  packed: PackEntry;
}

export function prepareBlob(content: Buffer): PreparedBlob {
  return { id: hashObject('blob', content), packed: packEntry('blob', content) };
}
