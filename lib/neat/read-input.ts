import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors/index.ts';

/**
 * The bytes of `-f FILE`, or of stdin for `-` or no file. Reading stops one byte past `maxBytes`: the parser
 * refuses what is longer, and an endless pipe is not held in memory meanwhile.
 */
export async function readInput(file: string | undefined, stdin: Readable, maxBytes: number): Promise<Buffer> {
  const fromStdin = file === undefined || file === '-';
  // Nobody types manifests into a terminal: waiting for them would look like a hang.
  if (fromStdin && (stdin as { isTTY?: boolean }).isTTY)
    throw new UsageError(
      'kubesnap neat reads manifests from -f FILE or from a pipe (kubectl get pod x -o yaml | kubesnap neat); stdin is a terminal.',
    );
  const stream = fromStdin ? stdin : createReadStream(file);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length > maxBytes) break;
    }
  } catch (error) {
    throw new UsageError(
      `${fromStdin ? 'stdin' : `-f ${file}`} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  } finally {
    if (!fromStdin) stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** How errors name the input. */
export function inputSubject(file: string | undefined): string {
  return file === undefined || file === '-' ? 'The input from stdin' : `The file ${file}`;
}
