import { hashObject } from './git-object.ts';
import { packEntryData } from './object-writer.ts';

/**
 * A file's blob made ready for a commit somewhere else (a worker thread): its id and its bytes as a pack entry
 * holds them, so the commit neither hashes nor deflates it again. Pure CPU, no repository needed.
 */
export interface PreparedBlob {
  id: string;
  packed: Buffer;
}

export function prepareBlob(content: Buffer): PreparedBlob {
  return { id: hashObject('blob', content), packed: packEntryData('blob', content) };
}
